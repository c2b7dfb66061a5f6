package dev.zbatch.provider.pixazo;

import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.testing.StubServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

class PixazoErrorHandlingTest extends PixazoStubFixture {

    private static final String MODEL_NOT_FOUND =
            "{\"error\":\"Model not found\",\"message\":\"Model 'z-image-turbo-834' not found or is disabled\"}";

    private ProviderException submitFails() {
        return fails(() -> provider.submit(TURBO, turboRequest()));
    }

    private ProviderException pollFails() {
        return fails(() -> provider.poll(new TrackedRequest(REQUEST_ID, URI.create(url(STATUS_PATH)), null)));
    }

    private ProviderException fail(String call) {
        return call.equals("submit") ? submitFails() : pollFails();
    }

    private void reply(String call, Reply reply) {
        if (call.equals("submit")) {
            stub.on("POST", TURBO_PATH, reply);
        } else {
            stub.on("GET", STATUS_PATH, reply);
        }
    }

    // ------------------------------------------------------------------ statuses, on submit and on poll

    @ParameterizedTest
    @ValueSource(strings = {"submit", "poll"})
    void http400CarriesTheProvidersText(String call) {
        reply(call, Reply.json(400, "{\"error\":\"Bad Request\",\"message\":\"image_size must be one of ...\"}"));
        var e = fail(call);
        assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("Bad Request: image_size must be one of ...");
    }

    @ParameterizedTest
    @ValueSource(strings = {"submit", "poll"})
    void http400ModelNotFoundIsAConfigurationProblemNotABadRow(String call) {
        reply(call, Reply.json(400, MODEL_NOT_FOUND));
        var e = fail(call);
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("not found or is disabled").contains("base URL");
    }

    @Test
    void modelNotFoundInTheMessageAloneCountsToo() {
        reply("submit", Reply.json(400, "{\"message\":\"Model not found\"}"));
        assertThat(submitFails().kind()).isEqualTo(Kind.PROTOCOL);
    }

    @ParameterizedTest
    @CsvSource({"submit,401", "submit,403", "poll,401", "poll,403"})
    void authStatuses(String call, int status) {
        reply(call, Reply.json(status, "{\"error\":\"Access denied due to invalid subscription key\"}"));
        var e = fail(call);
        assertThat(e.kind()).isEqualTo(Kind.AUTH);
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.getMessage()).isEqualTo("Pixazo rejected the API key (HTTP " + status + "): check PIXAZO_API_KEY");
    }

    @ParameterizedTest
    @ValueSource(strings = {"submit", "poll"})
    void http402IsOutOfBalance(String call) {
        reply(call, Reply.json(402, "{\"error\":\"Insufficient Balance\",\"message\":\"Your wallet does not have "
                + "enough balance.\"}"));
        var e = fail(call);
        assertThat(e.kind()).isEqualTo(Kind.CREDITS);
        assertThat(e.httpStatus()).isEqualTo(402);
        assertThat(e.getMessage()).isEqualTo(
                "Pixazo: insufficient balance (HTTP 402): top up your wallet and run the same command again");
    }

    @Test
    void http404OnSubmitIsAProtocolErrorAboutTheModelOrBaseUrl() {
        reply("submit", Reply.json(404, "{\"error\":\"Resource not found\"}"));
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.getMessage()).contains("base URL").contains("Resource not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"submit", "poll"})
    void http429WithRetryAfterSeconds(String call) {
        reply(call, Reply.json(429, "{\"error\":\"Too Many Requests\"}").header("Retry-After", "7"));
        var e = fail(call);
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"submit", "poll"})
    void http429WithRetryAfterAsAnHttpDate(String call) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plusSeconds(30).atOffset(ZoneOffset.UTC));
        reply(call, Reply.empty(429).header("Retry-After", date));
        var e = fail(call);
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(31));
    }

    @ParameterizedTest
    @ValueSource(strings = {"submit", "poll"})
    void http429WithOnlyABodyRetryAfter(String call) {
        reply(call, Reply.json(429, "{\"error\":\"Too Many Requests\",\"retry_after\":\"12\"}"));
        var e = fail(call);
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(12));
        assertThat(e.getMessage()).contains("retry after 12s").contains("Too Many Requests");
    }

    @Test
    void http429WithoutRetryAfterHasNone() {
        reply("submit", Reply.json(429, "{\"error\":\"Too Many Requests\"}"));
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isNull();
    }

    @Test
    void http500OnSubmitIsAmbiguousAndNeverResent() {
        reply("submit", Reply.json(500, "{\"error\":\"Internal Server Error\"}"));
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(Kind.AMBIGUOUS_SUBMIT);
        assertThat(e.httpStatus()).isEqualTo(500);
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void http500OnPollIsTransient() {
        reply("poll", Reply.json(500, "{\"error\":\"Internal Server Error\"}"));
        var e = pollFails();
        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.httpStatus()).isEqualTo(500);
    }

    @Test
    void http422WithFalStyleDetailIsABadRequestOnSubmit() {
        reply("submit", Reply.json(422, "{\"detail\":[{\"loc\":[\"body\",\"num_images\"],"
                + "\"msg\":\"ensure this value is less than or equal to 4\"}]}"));
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("body.num_images: ensure this value is less than or equal to 4");
    }

    @Test
    void aBodyThatEchoesTheKeyIsRedacted() {
        reply("submit", Reply.json(400, "{\"message\":\"bad key " + KEY + " for this model\"}"));
        var e = submitFails(); // fails() asserts the key is absent
        assertThat(e.getMessage()).contains("bad key *** for this model");
    }

    @Test
    void aRedirectOnSubmitIsNotFollowed() {
        reply("submit", Reply.empty(307).header("Location", stub.otherHost() + TURBO_PATH));
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(stub.requests()).hasSize(1);
    }

    // ------------------------------------------------------------------ transport failures

    @Test
    void connectionRefusedIsTransientEvenOnSubmitBecauseNothingLeft() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI dead = URI.create("http://127.0.0.1:" + port);
        try (PixazoProvider p = new PixazoProvider(settings(dead, Duration.ofSeconds(2)), null)) {
            var e = fails(() -> p.submit(TURBO, turboRequest()));
            assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(e.httpStatus()).isZero();
            assertThat(e.getMessage()).contains("nothing was sent");

            var polled = fails(() -> p.poll(new TrackedRequest(REQUEST_ID, URI.create(dead + STATUS_PATH), null)));
            assertThat(polled.kind()).isEqualTo(Kind.TRANSIENT);

            var fetched = fails(() -> p.download(URI.create(dead + "/files/a.png")));
            assertThat(fetched.kind()).isEqualTo(Kind.TRANSIENT);
        }
    }

    @Test
    void aDroppedConnectionOnSubmitIsAmbiguous() {
        reply("submit", Reply.hangUp());
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(Kind.AMBIGUOUS_SUBMIT);
        assertThat(e.httpStatus()).isZero();
        assertThat(e.getMessage()).contains("may or may not have been accepted");
        assertThat(stub.requests()).as("never resent").hasSize(1);
    }

    @Test
    void aDroppedConnectionOnPollIsTransient() {
        reply("poll", Reply.hangUp());
        assertThat(pollFails().kind()).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void aTimeoutOnSubmitIsAmbiguousAndOnPollTransient() {
        try (PixazoProvider p = new PixazoProvider(settings(stub.base(), Duration.ofMillis(300)), null)) {
            stub.on("POST", TURBO_PATH, Reply.json(202, accepted(REQUEST_ID, null)).delay(1500));
            var e = fails(() -> p.submit(TURBO, turboRequest()));
            assertThat(e.kind()).isEqualTo(Kind.AMBIGUOUS_SUBMIT);

            stub.on("GET", STATUS_PATH, Reply.json(200, statusBody("QUEUED", null)).delay(1500));
            var polled = fails(() -> p.poll(new TrackedRequest(REQUEST_ID, URI.create(url(STATUS_PATH)), null)));
            assertThat(polled.kind()).isEqualTo(Kind.TRANSIENT);
        }
    }
}
