package dev.zbatch.provider.pixazo;

import dev.zbatch.provider.PollResult;
import dev.zbatch.provider.Submission;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.testing.StubServer;
import dev.zbatch.testing.StubServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class PixazoWebhookReceiverTest {

    private static final String ID = "z-image-turbo-834_019d-hook";
    private static final String CDN = "https://pub-1.r2.dev/v1/" + ID;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> notified = new CopyOnWriteArrayList<>();
    private PixazoWebhookReceiver receiver;
    private URI publicUrl;

    @BeforeEach
    void start() {
        receiver = PixazoWebhookReceiver.start("127.0.0.1", 0, notified::add);
        publicUrl = URI.create("http://127.0.0.1:" + receiver.port());
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private static String body(String status, String extra) {
        return "{\"request_id\":\"" + ID + "\",\"status\":\"" + status + "\",\"model_id\":\"z-image-turbo-834\""
                + (extra == null ? "" : "," + extra) + "}";
    }

    private static String completed() {
        return body("COMPLETED", "\"error\":null,\"output\":{\"media_url\":[\"" + CDN + "/0.png\"],"
                + "\"media_type\":\"application/octet-stream\"}");
    }

    private HttpResponse<String> send(String method, URI uri, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return send("POST", receiver.callbackUrl(publicUrl), body);
    }

    private String token() {
        String url = receiver.callbackUrl(publicUrl).toString();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    @Test
    void anAcceptedDeliveryIsStoredAndAnnounced() throws Exception {
        HttpResponse<String> r = post(completed());

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(receiver.delivered(ID)).contains(completed());
        assertThat(receiver.delivered("other")).isEmpty();
        assertThat(notified).containsExactly(ID);
        assertThat(receiver.accepted()).isEqualTo(1);
        assertThat(receiver.rejected()).isZero();
        assertThat(receiver.duplicates()).isZero();
    }

    @Test
    void aWrongOrMissingTokenIs404AndCountsAsRejected() throws Exception {
        String wrong = "ffffffffffffffffffffffffffffffff".equals(token()) ? "00000000000000000000000000000000"
                : "ffffffffffffffffffffffffffffffff";
        URI root = publicUrl;
        assertThat(send("POST", URI.create(root + "/pixazo/webhook/" + wrong), completed()).statusCode()).isEqualTo(404);
        assertThat(send("POST", URI.create(root + "/pixazo/webhook/"), completed()).statusCode()).isEqualTo(404);
        assertThat(send("POST", URI.create(root + "/pixazo/webhook/" + token() + "x"), completed()).statusCode())
                .isEqualTo(404);
        assertThat(send("GET", URI.create(root + "/pixazo/webhook/" + wrong), null).statusCode())
                .as("a wrong token is 404 whatever the method").isEqualTo(404);

        assertThat(receiver.rejected()).isEqualTo(4);
        assertThat(receiver.accepted()).isZero();
        assertThat(receiver.delivered(ID)).isEmpty();
        assertThat(notified).isEmpty();
    }

    @Test
    void aRepeatedDeliveryIsADuplicateAndChangesNothing() throws Exception {
        assertThat(post(completed()).statusCode()).isEqualTo(204);
        // the same JSON, formatted differently, is the same delivery
        assertThat(post(completed().replace(",", ", ")).statusCode()).isEqualTo(204);

        assertThat(receiver.accepted()).isEqualTo(2);
        assertThat(receiver.duplicates()).isEqualTo(1);
        assertThat(receiver.delivered(ID)).contains(completed());
        assertThat(notified).containsExactly(ID, ID);
    }

    @Test
    void aTerminalBodyIsNeverReplacedByALaterPendingOne() throws Exception {
        post(body("QUEUED", null));
        assertThat(receiver.delivered(ID)).contains(body("QUEUED", null));
        post(body("PROCESSING", null));
        assertThat(receiver.delivered(ID)).as("latest wins").contains(body("PROCESSING", null));
        post(completed());
        assertThat(post(body("QUEUED", null)).statusCode()).isEqualTo(204);

        assertThat(receiver.delivered(ID)).contains(completed());
        assertThat(receiver.accepted()).isEqualTo(4);
    }

    @Test
    void badJsonIs400() throws Exception {
        assertThat(post("{not json").statusCode()).isEqualTo(400);
        assertThat(post("[1,2]").statusCode()).isEqualTo(400);
        assertThat(post("{\"status\":\"COMPLETED\"}").statusCode()).as("no request_id").isEqualTo(400);
        assertThat(receiver.rejected()).isEqualTo(3);
        assertThat(notified).isEmpty();
    }

    @Test
    void otherMethodsAre405() throws Exception {
        HttpResponse<String> r = send("GET", receiver.callbackUrl(publicUrl), null);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("POST");
        assertThat(send("PUT", receiver.callbackUrl(publicUrl), completed()).statusCode()).isEqualTo(405);
        assertThat(receiver.delivered(ID)).isEmpty();
    }

    @Test
    void aBodyOverOneMebibyteIs413() throws Exception {
        String big = "{\"request_id\":\"" + ID + "\",\"pad\":\"" + "x".repeat(PixazoWebhookReceiver.MAX_BODY_BYTES) + "\"}";
        assertThat(post(big).statusCode()).isEqualTo(413);
        assertThat(receiver.delivered(ID)).isEmpty();
        // the receiver still works afterwards
        assertThat(post(completed()).statusCode()).isEqualTo(204);
    }

    @Test
    void callbackUrlWithAndWithoutATrailingSlash() {
        URI plain = receiver.callbackUrl(URI.create("https://hooks.example.org/zbatch"));
        URI slash = receiver.callbackUrl(URI.create("https://hooks.example.org/zbatch/"));
        assertThat(plain).isEqualTo(slash);
        assertThat(plain.toString()).matches("https://hooks\\.example\\.org/zbatch/pixazo/webhook/[0-9a-f]{32}");
        assertThat(receiver.callbackUrl(URI.create("https://hooks.example.org/")).toString())
                .matches("https://hooks\\.example\\.org/pixazo/webhook/[0-9a-f]{32}");
    }

    @Test
    void eachReceiverHasItsOwnTokenAndNeverPrintsIt() {
        try (PixazoWebhookReceiver other = PixazoWebhookReceiver.start("127.0.0.1", 0, null)) {
            assertThat(other.callbackUrl(publicUrl)).isNotEqualTo(receiver.callbackUrl(publicUrl));
            assertThat(other.port()).isNotEqualTo(receiver.port());
        }
        assertThat(receiver.toString()).doesNotContain(token());
        assertThat(System.getProperty("sun.net.httpserver.nodelay")).isNotNull();
    }

    /** Submit with X-Webhook-URL, Pixazo delivers the result, poll answers from it without calling Pixazo. */
    @Test
    void endToEndWithTheProvider() throws Exception {
        try (StubServer gateway = new StubServer()) {
            gateway.on("POST", "/z-image-turbo-834/v1/z-image-turbo-request", Reply.json(202,
                    "{\"request_id\":\"" + ID + "\",\"status\":\"QUEUED\",\"polling_url\":\"/v2/requests/status/"
                            + ID + "\"}"));
            URI hook = receiver.callbackUrl(publicUrl);
            PixazoSettings settings = new PixazoSettings(gateway.base(), "pz-key-1234", Duration.ofSeconds(2),
                    Duration.ofSeconds(5), 2, hook);
            try (PixazoProvider provider = new PixazoProvider(settings, receiver)) {
                Submission s = provider.submit(PixazoModels.Z_IMAGE_TURBO, PixazoStubFixture.turboRequest());
                assertThat(gateway.only().header("X-Webhook-URL")).isEqualTo(hook.toString());

                assertThat(post(completed()).statusCode()).isEqualTo(204);
                PollResult result = provider.poll(new TrackedRequest(s.requestId(), s.pollUrl(), s.resultUrl()));

                assertThat(result).isEqualTo(new PollResult.Completed(List.of(URI.create(CDN + "/0.png")), null));
                assertThat(gateway.requests()).as("the poll made no HTTP call").hasSize(1);
            }
        }
    }
}
