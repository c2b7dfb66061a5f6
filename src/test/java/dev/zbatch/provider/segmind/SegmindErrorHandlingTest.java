package dev.zbatch.provider.segmind;

import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.testing.StubServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

class SegmindErrorHandlingTest extends SegmindStubFixture {

    private static final String SUBMIT = "/v2/z-image-turbo";
    private static final String STATUS = "/v2/requests/req-1/status";

    private ProviderException submitFails() {
        return fails(() -> provider.submit("z-image-turbo", request()));
    }

    private ProviderException pollFails() {
        return fails(() -> provider.poll(new TrackedRequest("req-1", URI.create(url(STATUS)), null)));
    }

    // ------------------------------------------------------------------ statuses on submit

    @Test
    void http400CarriesTheProvidersMessage() {
        stub.on("POST", SUBMIT, Reply.json(400, "{\"error\":\"width must be <= 2048\"}"));
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("width must be <= 2048");
    }

    @Test
    void http400WithAPlainBodyEchoesItTruncated() {
        stub.on("POST", SUBMIT, Reply.text(400, "x".repeat(1000)));
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("x".repeat(300)).doesNotContain("x".repeat(301));
    }

    @Test
    void aBodyThatEchoesTheKeyIsRedacted() {
        stub.on("POST", SUBMIT, Reply.json(400, "{\"message\":\"bad key " + KEY + " for this model\"}"));
        var e = submitFails(); // fails() asserts the key is absent
        assertThat(e.getMessage()).contains("bad key *** for this model");
    }

    @ParameterizedTest
    @CsvSource({"401,AUTH", "403,AUTH", "402,CREDITS", "406,CREDITS"})
    void authAndCreditStatuses(int status, Kind kind) {
        stub.on("POST", SUBMIT, Reply.json(status, "{\"error\":\"nope\"}"));
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.httpStatus()).isEqualTo(status);
        if (kind == Kind.AUTH) {
            assertThat(e.getMessage())
                    .isEqualTo("Segmind rejected the API key (HTTP " + status + "): check SEGMIND_API_KEY");
        } else {
            assertThat(e.getMessage()).isEqualTo("Segmind: insufficient credits (HTTP " + status
                    + "); top up and run the same command again");
        }
    }

    @ParameterizedTest
    @CsvSource({"401,AUTH", "403,AUTH", "406,CREDITS", "400,BAD_REQUEST"})
    void theSameStatusesOnPoll(int status, Kind kind) {
        stub.on("GET", STATUS, Reply.json(status, "{\"error\":\"nope\"}"));
        assertThat(pollFails().kind()).isEqualTo(kind);
    }

    @Test
    void http429WithRetryAfterSeconds() {
        stub.on("POST", SUBMIT, Reply.json(429, "{\"error\":\"slow down\"}").header("Retry-After", "7"));
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void http429WithRetryAfterAsAnHttpDate() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME
                .format(Instant.now().plusSeconds(30).atOffset(ZoneOffset.UTC));
        stub.on("GET", STATUS, Reply.empty(429).header("Retry-After", date));
        var e = pollFails();
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(31));
    }

    @Test
    void http429WithResetAtAsAnIsoInstant() {
        stub.on("POST", SUBMIT, Reply.empty(429)
                .header("x-rate-limit-reset-at-utc", Instant.now().plusSeconds(20).toString()));
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(21));
    }

    @Test
    void http429WithResetAtAsEpochSeconds() {
        stub.on("POST", SUBMIT, Reply.empty(429)
                .header("x-rate-limit-reset-at-utc", Long.toString(Instant.now().getEpochSecond() + 40)));
        var e = submitFails();
        assertThat(e.retryAfter()).isBetween(Duration.ofSeconds(35), Duration.ofSeconds(41));
    }

    @Test
    void http429WithOnlyABodyRetryAfter() {
        stub.on("POST", SUBMIT, Reply.json(429, "{\"error\":\"slow down\",\"retry_after\":12}"));
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(12));
        assertThat(e.getMessage()).contains("retry after 12s").contains("slow down");
    }

    @Test
    void http429WithoutHintsHasNoRetryAfter() {
        stub.on("POST", SUBMIT, Reply.json(429, "{\"error\":\"rate limited\"}"));
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isNull();
    }

    @Test
    void http500OnSubmitIsAmbiguous() {
        stub.on("POST", SUBMIT, Reply.json(500, "{\"error\":\"internal\"}"));
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(Kind.AMBIGUOUS_SUBMIT);
        assertThat(e.httpStatus()).isEqualTo(500);
        assertThat(stub.requests()).as("never resent").hasSize(1);
    }

    @Test
    void http500OnPollIsTransient() {
        stub.on("GET", STATUS, Reply.json(500, "{\"error\":\"internal\"}"));
        var e = pollFails();
        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.httpStatus()).isEqualTo(500);
    }

    @Test
    void http404OnSubmitIsAProtocolErrorAboutTheModelOrBaseUrl() {
        stub.on("POST", SUBMIT, Reply.json(404, "{\"error\":\"model not found\"}"));
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("base URL").contains("model not found");
    }

    // ------------------------------------------------------------------ transport failures

    @Test
    void connectionRefusedOnSubmitIsTransientBecauseNothingLeft() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (SegmindAsyncProvider p = new SegmindAsyncProvider(settings(URI.create("http://127.0.0.1:" + port),
                Duration.ofSeconds(2)))) {
            var e = fails(() -> p.submit("z-image-turbo", request()));
            assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(e.httpStatus()).isZero();
            assertThat(e.getMessage()).contains("nothing was sent");

            var polled = fails(() -> p.poll(new TrackedRequest("r", URI.create("http://127.0.0.1:" + port + STATUS), null)));
            assertThat(polled.kind()).isEqualTo(Kind.TRANSIENT);
        }
    }

    @Test
    void aConnectionClosedAfterThePostIsAmbiguous() {
        stub.on("POST", SUBMIT, Reply.hangUp());
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(Kind.AMBIGUOUS_SUBMIT);
        assertThat(e.httpStatus()).isZero();
        assertThat(stub.requests()).as("received once, never resent").hasSize(1);
        assertThat(stub.only().bodyText()).contains("a red fox");
    }

    @Test
    void aConnectionClosedDuringAPollIsTransient() {
        stub.on("GET", STATUS, Reply.hangUp());
        assertThat(pollFails().kind()).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void aResponseTimeoutOnSubmitIsAmbiguousAndOnPollTransient() {
        provider.close();
        provider = new SegmindAsyncProvider(settings(stub.base(), Duration.ofMillis(300)));
        stub.on("POST", SUBMIT, Reply.json(200, "{}").delay(1500));
        stub.on("GET", STATUS, Reply.json(200, "{\"status\":\"QUEUED\"}").delay(1500));

        long start = System.nanoTime();
        var submit = submitFails();
        assertThat(submit.kind()).isEqualTo(Kind.AMBIGUOUS_SUBMIT);
        assertThat(submit.getMessage()).contains("no answer in time");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1400));
        assertThat(stub.requests()).hasSize(1);

        assertThat(pollFails().kind()).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void afterCloseNothingIsSentAndTheFailureIsTransient() {
        provider.close();
        var e = submitFails();
        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(stub.requests()).isEmpty();
    }
}
