package dev.zbatch.provider.segmind;

import dev.zbatch.provider.PollResult;
import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.testing.StubServer;
import dev.zbatch.testing.StubServer.Reply;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class SegmindPollTest extends SegmindStubFixture {

    private static final String STATUS = "/v2/requests/req-1/status";
    private static final String RESULT = "/v2/requests/req-1";

    private TrackedRequest tracked() {
        return new TrackedRequest("req-1", URI.create(url(STATUS)), URI.create(url(RESULT)));
    }

    @Test
    void queuedAndProcessingArePendingAndTheKeyIsSent() {
        stub.on("GET", STATUS, Reply.json(200, "{\"status\":\"QUEUED\",\"request_id\":\"req-1\",\"metrics\":{}}"));
        assertThat(provider.poll(tracked())).isEqualTo(new PollResult.Pending("QUEUED"));

        stub.on("GET", STATUS, Reply.json(200, "{\"status\":\"PROCESSING\",\"request_id\":\"req-1\"}"));
        assertThat(provider.poll(tracked())).isEqualTo(new PollResult.Pending("PROCESSING"));

        assertThat(stub.requests()).hasSize(2).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.path()).isEqualTo(STATUS);
            assertThat(r.header("x-api-key")).isEqualTo(KEY);
        });
    }

    @Test
    void completedFetchesTheResultWhereOutputIsAString() {
        stub.on("GET", STATUS, Reply.json(200,
                "{\"status\":\"COMPLETED\",\"request_id\":\"req-1\",\"metrics\":{\"inference_time\":0.9}}"));
        stub.on("GET", RESULT, Reply.json(200,
                "{\"status\":\"COMPLETED\",\"output\":\"https://cdn.example.com/img/req-1.webp\",\"seed\":1234}"));

        PollResult r = provider.poll(tracked());

        assertThat(r).isEqualTo(new PollResult.Completed(
                java.util.List.of(URI.create("https://cdn.example.com/img/req-1.webp")), 1234L));
        assertThat(stub.requests()).extracting(StubServer.Recorded::path).containsExactly(STATUS, RESULT);
        assertThat(stub.requests().get(1).header("x-api-key")).isEqualTo(KEY);
    }

    @Test
    void completedResultWithOutputAsAnArrayAndRelativeUrls() {
        stub.on("GET", STATUS, Reply.json(200, "{\"status\":\"COMPLETED\"}"));
        stub.on("GET", RESULT, Reply.json(200,
                "{\"output\":[\"https://cdn.example.com/a.webp\",\"/files/b.webp\"]}"));

        var r = (PollResult.Completed) provider.poll(tracked());

        assertThat(r.imageUrls()).containsExactly(
                URI.create("https://cdn.example.com/a.webp"), URI.create(url("/files/b.webp")));
        assertThat(r.seed()).isNull();
    }

    @Test
    void otherKeysHoldingUrlsAreAccepted() {
        stub.on("GET", STATUS, Reply.json(200, "{\"status\":\"COMPLETED\"}"));
        stub.on("GET", RESULT, Reply.json(200,
                "{\"images\":[{\"url\":\"https://cdn.example.com/x.png\"}],\"seed\":\"77\"}"));
        var r = (PollResult.Completed) provider.poll(tracked());
        assertThat(r.imageUrls()).containsExactly(URI.create("https://cdn.example.com/x.png"));
        assertThat(r.seed()).isEqualTo(77L);

        stub.on("GET", RESULT, Reply.json(200, "{\"output_url\":\"https://cdn.example.com/y.png\"}"));
        assertThat(((PollResult.Completed) provider.poll(tracked())).imageUrls())
                .containsExactly(URI.create("https://cdn.example.com/y.png"));

        stub.on("GET", RESULT, Reply.json(200, "{\"image\":\"https://cdn.example.com/z.png\"}"));
        assertThat(((PollResult.Completed) provider.poll(tracked())).imageUrls())
                .containsExactly(URI.create("https://cdn.example.com/z.png"));
    }

    @Test
    void aResultWithoutAnyUrlIsAProtocolErrorNamingTheKeys() {
        stub.on("GET", STATUS, Reply.json(200, "{\"status\":\"COMPLETED\"}"));
        stub.on("GET", RESULT, Reply.json(200, "{\"status\":\"COMPLETED\",\"output\":\"UklGRiQAAABXRUJQ\",\"took\":1}"));

        var e = fails(() -> provider.poll(tracked()));

        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("status, output, took");
    }

    @Test
    void completedWithTheOutputInTheStatusBodyNeedsNoSecondCall() {
        stub.on("GET", STATUS, Reply.json(200,
                "{\"status\":\"COMPLETED\",\"output\":\"https://cdn.example.com/s.webp\",\"seed\":5}"));

        assertThat(provider.poll(tracked())).isEqualTo(new PollResult.Completed(
                java.util.List.of(URI.create("https://cdn.example.com/s.webp")), 5L));
        assertThat(stub.requests()).extracting(StubServer.Recorded::path).containsExactly(STATUS);
    }

    @Test
    void http422FailedOnTheStatusCallIsFailedWithTheError() {
        stub.on("GET", STATUS, Reply.json(422,
                "{\"status\":\"FAILED\",\"error\":\"Content blocked by safety filter\"}"));
        assertThat(provider.poll(tracked())).isEqualTo(new PollResult.Failed("Content blocked by safety filter"));
    }

    @Test
    void http422FailedOnTheResultCallIsFailedWithTheMessage() {
        stub.on("GET", STATUS, Reply.json(200, "{\"status\":\"COMPLETED\"}"));
        stub.on("GET", RESULT, Reply.json(422, "{\"status\":\"FAILED\",\"message\":\"worker crashed\"}"));
        assertThat(provider.poll(tracked())).isEqualTo(new PollResult.Failed("worker crashed"));
    }

    @Test
    void http422WithoutReasonHasAGenericOne() {
        stub.on("GET", STATUS, Reply.json(422, "{\"status\":\"FAILED\"}"));
        var r = (PollResult.Failed) provider.poll(tracked());
        assertThat(r.reason()).contains("FAILED");
    }

    @Test
    void failedInA200IsFailed() {
        stub.on("GET", STATUS, Reply.json(200, "{\"status\":\"FAILED\",\"error\":\"out of memory\"}"));
        assertThat(provider.poll(tracked())).isEqualTo(new PollResult.Failed("out of memory"));
    }

    @Test
    void http404IsExpired() {
        stub.on("GET", STATUS, Reply.json(404, "{\"error\":\"Request not found\"}"));
        var r = provider.poll(tracked());
        assertThat(r).isInstanceOf(PollResult.Expired.class);
        assertThat(((PollResult.Expired) r).detail()).contains("unknown or expired").contains("one hour");
    }

    @Test
    void http404OnTheResultCallIsExpired() {
        stub.on("GET", STATUS, Reply.json(200, "{\"status\":\"COMPLETED\"}"));
        stub.on("GET", RESULT, Reply.empty(404));
        assertThat(provider.poll(tracked())).isInstanceOf(PollResult.Expired.class);
    }

    @Test
    void anUnknownStatusWordIsAProtocolError() {
        stub.on("GET", STATUS, Reply.json(200, "{\"status\":\"TELEPORTING\"}"));
        var e = fails(() -> provider.poll(tracked()));
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("TELEPORTING");
    }

    @Test
    void unparseableStatusIsAProtocolError() {
        stub.on("GET", STATUS, Reply.text(200, "not json"));
        assertThat(fails(() -> provider.poll(tracked())).kind()).isEqualTo(Kind.PROTOCOL);
    }

    @Test
    void completedWithoutOutputAndWithoutResultUrlIsAProtocolError() {
        stub.on("GET", STATUS, Reply.json(200, "{\"status\":\"COMPLETED\"}"));
        var e = fails(() -> provider.poll(new TrackedRequest("req-1", URI.create(url(STATUS)), null)));
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
    }
}
