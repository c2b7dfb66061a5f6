package dev.zbatch.provider.pixazo;

import dev.zbatch.provider.PollResult;
import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.testing.StubServer;
import dev.zbatch.testing.StubServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class PixazoPollTest extends PixazoStubFixture {

    private static final String CDN = "https://pub-582b7213209642b9b995c96c95a30381.r2.dev/v1/" + REQUEST_ID;

    private TrackedRequest tracked() {
        return new TrackedRequest(REQUEST_ID, URI.create(url(STATUS_PATH)), null);
    }

    private PollResult poll() {
        return provider.poll(tracked());
    }

    @ParameterizedTest
    @ValueSource(strings = {"QUEUED", "PROCESSING"})
    void queuedAndProcessingArePending(String status) {
        stub.on("GET", STATUS_PATH, Reply.json(200, statusBody(status, "\"error\":null,\"output\":null")));

        assertThat(poll()).isEqualTo(new PollResult.Pending(status));

        StubServer.Recorded r = stub.only();
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.header("Ocp-Apim-Subscription-Key")).isEqualTo(KEY);
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
    }

    @Test
    void completedGivesEveryMediaUrlInOrder() {
        stub.on("GET", STATUS_PATH, Reply.json(200, statusBody("COMPLETED",
                "\"error\":null,\"output\":{\"media_url\":[\"" + CDN + "/0.png\",\"" + CDN + "/1.png\",\"" + CDN
                        + "/2.png\"],\"media_type\":\"application/octet-stream\"},"
                        + "\"created_at\":\"2026-03-31T10:00:00.000Z\",\"completed_at\":\"2026-03-31T10:00:15.000Z\"")));

        PollResult result = poll();

        assertThat(result).isEqualTo(new PollResult.Completed(List.of(
                URI.create(CDN + "/0.png"), URI.create(CDN + "/1.png"), URI.create(CDN + "/2.png")), null));
    }

    @Test
    void completedTakesASingleUrlStringAndASeed() {
        stub.on("GET", STATUS_PATH, Reply.json(200, statusBody("completed",
                "\"seed\":12345,\"output\":{\"media_url\":\"" + CDN + "/output.ext\"}")));

        assertThat(poll()).isEqualTo(new PollResult.Completed(List.of(URI.create(CDN + "/output.ext")), 12345L));
    }

    @Test
    void completedWithoutAUrlIsAProtocolErrorNamingTheKeys() {
        stub.on("GET", STATUS_PATH, Reply.json(200, statusBody("COMPLETED",
                "\"output\":{\"media_url\":[],\"media_type\":\"image/png\"}")));
        var e = fails(this::poll);
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("media_url").contains("request_id, status, model_id, output")
                .contains("media_type");
    }

    @Test
    void completedWithANonHttpUrlIsAProtocolError() {
        stub.on("GET", STATUS_PATH, Reply.json(200, statusBody("COMPLETED",
                "\"output\":{\"media_url\":[\"ftp://cdn.example/a.png\"]}")));
        assertThat(fails(this::poll).kind()).isEqualTo(Kind.PROTOCOL);
    }

    @Test
    void failedCarriesTheErrorText() {
        stub.on("GET", STATUS_PATH, Reply.json(200, statusBody("FAILED",
                "\"error\":\"Content flagged by the safety checker\",\"output\":null")));
        assertThat(poll()).isEqualTo(new PollResult.Failed("Content flagged by the safety checker"));
    }

    @Test
    void failedWithoutATextSaysSo() {
        stub.on("GET", STATUS_PATH, Reply.json(200, statusBody("FAILED", "\"error\":null")));
        assertThat(poll()).isInstanceOfSatisfying(PollResult.Failed.class,
                f -> assertThat(f.reason()).contains("without giving a reason"));
    }

    @Test
    void errorIsARetryBecausePixazoDoesNotChargeIt() {
        stub.on("GET", STATUS_PATH, Reply.json(200, statusBody("ERROR",
                "\"error\":\"Description of the error\",\"output\":null")));
        assertThat(poll()).isEqualTo(new PollResult.Retry("Description of the error"));
    }

    @Test
    void http404IsExpired() {
        stub.on("GET", STATUS_PATH, Reply.json(404, "{\"error\":\"Request not found\"}"));
        assertThat(poll()).isEqualTo(new PollResult.Expired("request not found at Pixazo: unknown or expired"));
    }

    @Test
    void anUnknownStatusIsAProtocolError() {
        stub.on("GET", STATUS_PATH, Reply.json(200, statusBody("EXPLODED", null)));
        var e = fails(this::poll);
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("EXPLODED");
    }

    @Test
    void noStatusOrNoJsonIsAProtocolError() {
        stub.on("GET", STATUS_PATH, Reply.json(200, "{\"request_id\":\"x\"}"));
        assertThat(fails(this::poll).kind()).isEqualTo(Kind.PROTOCOL);
        stub.on("GET", STATUS_PATH, Reply.text(200, "Service Unavailable"));
        var e = fails(this::poll);
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("not JSON");
    }

    @Test
    void aRequestWithoutAPollUrlPollsTheUniversalStatusUrl() {
        stub.on("GET", STATUS_PATH, Reply.json(200, statusBody("QUEUED", null)));
        assertThat(provider.poll(new TrackedRequest(REQUEST_ID, null, null))).isEqualTo(new PollResult.Pending("QUEUED"));
        assertThat(stub.only().path()).isEqualTo(STATUS_PATH);
    }

    @Test
    void aRelativePollUrlIsResolvedAgainstTheBaseUrl() {
        stub.on("GET", STATUS_PATH, Reply.json(200, statusBody("PROCESSING", null)));
        assertThat(provider.poll(new TrackedRequest(REQUEST_ID, URI.create(STATUS_PATH), null)))
                .isEqualTo(new PollResult.Pending("PROCESSING"));
    }

    // ------------------------------------------------------------------ webhook deliveries

    private final Map<String, String> delivered = new ConcurrentHashMap<>();

    private PixazoProvider withDeliveries() {
        return new PixazoProvider(settings(stub.base(), Duration.ofSeconds(5)),
                id -> Optional.ofNullable(delivered.get(id)));
    }

    @Test
    void aDeliveredCompletedBodyAnswersWithoutAnyHttpCall() {
        delivered.put(REQUEST_ID, statusBody("COMPLETED", "\"output\":{\"media_url\":[\"" + CDN + "/0.png\",\""
                + CDN + "/1.png\"],\"media_type\":\"application/octet-stream\"}"));
        try (PixazoProvider p = withDeliveries()) {
            assertThat(p.poll(tracked())).isEqualTo(new PollResult.Completed(
                    List.of(URI.create(CDN + "/0.png"), URI.create(CDN + "/1.png")), null));
        }
        assertThat(stub.requests()).as("no HTTP call").isEmpty();
    }

    @Test
    void deliveredFailedAndErrorBodiesAnswerWithoutAnyHttpCall() {
        try (PixazoProvider p = withDeliveries()) {
            delivered.put(REQUEST_ID, statusBody("FAILED", "\"error\":\"safety checker\""));
            assertThat(p.poll(tracked())).isEqualTo(new PollResult.Failed("safety checker"));
            delivered.put(REQUEST_ID, statusBody("ERROR", "\"error\":\"GPU lost\""));
            assertThat(p.poll(tracked())).isEqualTo(new PollResult.Retry("GPU lost"));
        }
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void aDeliveredNonTerminalBodyStillPolls() {
        delivered.put(REQUEST_ID, statusBody("PROCESSING", null));
        stub.on("GET", STATUS_PATH, Reply.json(200, statusBody("COMPLETED",
                "\"output\":{\"media_url\":[\"" + CDN + "/0.png\"]}")));
        try (PixazoProvider p = withDeliveries()) {
            assertThat(p.poll(tracked())).isInstanceOf(PollResult.Completed.class);
        }
        assertThat(stub.only().path()).isEqualTo(STATUS_PATH);
    }

    @Test
    void aDeliveryForAnotherRequestOrAnUnusableOneStillPolls() {
        delivered.put("someone-else", statusBody("COMPLETED", "\"output\":{\"media_url\":[\"" + CDN + "/0.png\"]}"));
        stub.on("GET", STATUS_PATH, Reply.json(200, statusBody("QUEUED", null)));
        try (PixazoProvider p = withDeliveries()) {
            assertThat(p.poll(tracked())).isEqualTo(new PollResult.Pending("QUEUED"));
            delivered.put(REQUEST_ID, statusBody("COMPLETED", "\"output\":null")); // terminal but no URL
            assertThat(p.poll(tracked())).isEqualTo(new PollResult.Pending("QUEUED"));
        }
        assertThat(stub.requests()).hasSize(2);
    }
}
