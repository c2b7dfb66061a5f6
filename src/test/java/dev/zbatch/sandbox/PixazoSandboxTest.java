package dev.zbatch.sandbox;

import com.sun.net.httpserver.HttpServer;
import dev.zbatch.sandbox.SandboxHttpClient.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox's Pixazo gateway (Z-Image Turbo and Base, status, webhooks) over real loopback HTTP. */
class PixazoSandboxTest {

    static final String TURBO = "/z-image-turbo-834/v1/z-image-turbo-request";
    static final String BASE = "/z-image-base/v1/z-image-base-request";
    private static final String KEY = "Ocp-Apim-Subscription-Key";
    private static final Duration NONE = Duration.ZERO;

    private final List<SandboxServer> servers = new ArrayList<>();
    private final List<WebhookReceiver> receivers = new ArrayList<>();
    private final SandboxHttpClient client = new SandboxHttpClient(KEY, "test-key");

    @AfterEach
    void stop() {
        servers.forEach(SandboxServer::close);
        receivers.forEach(WebhookReceiver::close);
    }

    private SandboxServer start(SandboxSettings settings) {
        SandboxServer server = SandboxServer.start(settings);
        servers.add(server);
        return server;
    }

    private static SandboxSettings instant() {
        return SandboxSettings.defaults().withLatency(NONE, NONE);
    }

    private static SandboxSettings latency(long millis) {
        return SandboxSettings.defaults().withLatency(Duration.ofMillis(millis), Duration.ofMillis(millis));
    }

    private Answer submit(SandboxServer server, String path, String body, String... headers) {
        return client.post(server.baseUrl().resolve(path), body, headers);
    }

    private Answer submitOk(SandboxServer server, String path, String body, String... headers) {
        Answer answer = submit(server, path, body, headers);
        assertThat(answer.status()).as("submit answer %s", answer.json()).isEqualTo(202);
        return answer;
    }

    private Answer awaitDone(String pollingUrl) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Answer status = client.get(pollingUrl);
            assertThat(status.status()).isEqualTo(200);
            String state = status.text("status");
            if (!state.equals("QUEUED") && !state.equals("PROCESSING")) return status;
            assertThat(System.nanoTime()).as("job done in time").isLessThan(deadline);
            sleep(10);
        }
    }

    private static BufferedImage decode(String format, byte[] bytes) throws IOException {
        return "webp".equals(format) ? SandboxImagesTest.decodeWebpWithTwelveMonkeys(bytes) : SandboxImagesTest.decode(bytes);
    }

    @ParameterizedTest
    @CsvSource({
            "png,  png,  image/png,  portrait_9_16,  576,  1024",
            "jpeg, jpg,  image/jpeg, square,         512,  512",
            "webp, webp, image/webp, landscape_4_3,  1024, 768",
    })
    void turboHappyPathWithThreeImages(String format, String extension, String contentType, String imageSize,
                                       int width, int height) throws IOException {
        SandboxServer server = start(latency(600).withRequireApiKey(true));
        String base = server.baseUrl().toString();
        String body = "{\"prompt\":\"A lighthouse at dusk\",\"image_size\":\"" + imageSize + "\","
                + "\"num_inference_steps\":8,\"num_images\":3,\"enable_safety_checker\":true,"
                + "\"output_format\":\"" + format + "\",\"acceleration\":\"none\",\"seed\":7}";
        Answer submitted = submitOk(server, TURBO, body);
        String id = submitted.text("request_id");
        assertThat(id).matches("z-image-turbo-834_[0-9a-f-]{36}");
        assertThat(submitted.text("status")).isEqualTo("QUEUED");
        assertThat(submitted.text("polling_url")).isEqualTo(base + "/v2/requests/status/" + id);
        assertThat(submitted.json().propertyNames()).containsExactly("request_id", "status", "polling_url");

        List<String> seen = new ArrayList<>();
        Answer status;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            status = client.get(submitted.text("polling_url"));
            assertThat(status.status()).isEqualTo(200);
            String state = status.text("status");
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) seen.add(state);
            if (!state.equals("COMPLETED")) {
                assertThat(status.json().get("output").isNull()).isTrue();
                assertThat(status.json().get("completed_at").isNull()).isTrue();
            }
            sleep(15);
        } while (!"COMPLETED".equals(status.text("status")) && System.nanoTime() < deadline);
        assertThat(seen).containsExactly("QUEUED", "PROCESSING", "COMPLETED");

        JsonNode json = status.json();
        assertThat(json.propertyNames()).containsExactly("request_id", "status", "model_id", "error", "output",
                "created_at", "updated_at", "completed_at");
        assertThat(json.get("request_id").asString()).isEqualTo(id);
        assertThat(json.get("model_id").asString()).isEqualTo("z-image-turbo-834");
        assertThat(json.get("error").isNull()).isTrue();
        assertThat(json.get("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(json.get("completed_at").asString()).isEqualTo(json.get("updated_at").asString())
                .isGreaterThan(json.get("created_at").asString());
        assertThat(json.get("output").get("media_type").asString()).isEqualTo("application/octet-stream");
        List<String> urls = new ArrayList<>();
        json.get("output").get("media_url").values().forEach(url -> urls.add(url.asString()));
        assertThat(urls).containsExactly(
                base + "/sandbox/images/" + id + "-0." + extension,
                base + "/sandbox/images/" + id + "-1." + extension,
                base + "/sandbox/images/" + id + "-2." + extension);

        SandboxHttpClient anonymous = new SandboxHttpClient(null); // image URLs need no key
        Set<String> distinct = new HashSet<>();
        for (String url : urls) {
            Answer image = anonymous.get(url);
            assertThat(image.status()).isEqualTo(200);
            assertThat(image.raw().headers().firstValue("Content-Type")).contains(contentType);
            BufferedImage decoded = decode(format, image.raw().body());
            assertThat(decoded.getWidth()).isEqualTo(width);
            assertThat(decoded.getHeight()).isEqualTo(height);
            distinct.add(java.util.HexFormat.of().formatHex(image.raw().body()));
            assertThat(anonymous.get(url).raw().body()).as("the same bytes every time").isEqualTo(image.raw().body());
        }
        assertThat(distinct).as("each image renders differently").hasSize(3);
        assertThat(anonymous.get(base + "/sandbox/images/" + id + "-3." + extension).status()).isEqualTo(404);
        assertThat(anonymous.get(base + "/sandbox/images/" + id + "." + extension).status()).isEqualTo(404);

        assertThat(server.stats().submissions()).isEqualTo(1);
        assertThat(server.stats().submissionsOfBody(SandboxStats.bodyKey(body))).isEqualTo(1);
    }

    @Test
    void baseTakesGuidanceStepsAndAcceleration() throws IOException {
        SandboxServer server = start(instant().withRequireApiKey(true));
        Answer submitted = submitOk(server, BASE, "{\"prompt\":\"Grandmother knitting by a window\","
                + "\"image_size\":\"landscape_16_9\",\"num_inference_steps\":100,\"guidance_scale\":7.5,"
                + "\"num_images\":1,\"enable_safety_checker\":false,\"output_format\":\"jpeg\","
                + "\"acceleration\":\"ultra_fast\",\"negative_prompt\":\"blurry\"}");
        String id = submitted.text("request_id");
        assertThat(id).matches("z-image-base_[0-9a-f-]{36}");
        Answer done = awaitDone(submitted.text("polling_url"));
        assertThat(done.text("status")).isEqualTo("COMPLETED");
        assertThat(done.text("model_id")).isEqualTo("z-image-base");
        String url = done.json().get("output").get("media_url").get(0).asString();
        assertThat(url).endsWith("/sandbox/images/" + id + "-0.jpg");
        BufferedImage image = SandboxImagesTest.decode(client.get(url).raw().body());
        assertThat(image.getWidth()).isEqualTo(1024);
        assertThat(image.getHeight()).isEqualTo(576);

        // the document's minimum request: defaults png, one image
        Answer minimal = submitOk(server, BASE, "{\"prompt\":\"p\",\"image_size\":\"portrait_3_4\"}");
        Answer minimalDone = awaitDone(minimal.text("polling_url"));
        assertThat(minimalDone.json().get("output").get("media_url").values()).hasSize(1);
        assertThat(minimalDone.json().get("output").get("media_url").get(0).asString()).endsWith("-0.png");
        BufferedImage portrait = SandboxImagesTest.decode(
                client.get(minimalDone.json().get("output").get("media_url").get(0).asString()).raw().body());
        assertThat(portrait.getWidth()).isEqualTo(768);
        assertThat(portrait.getHeight()).isEqualTo(1024);
    }

    @Test
    void turboIgnoresGuidanceScale() {
        SandboxServer server = start(instant());
        submitOk(server, TURBO, "{\"prompt\":\"p\",\"image_size\":\"square_1_1\",\"guidance_scale\":99}");
        submitOk(server, TURBO, "{\"prompt\":\"p\",\"image_size\":\"square_hd\",\"guidance_scale\":\"high\"}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "TURBO | {\"prompt\":\"p\",\"image_size\":\"square_1_1\",\"num_inference_steps\":0}   | num_inference_steps must be between 1 and 50",
            "TURBO | {\"prompt\":\"p\",\"image_size\":\"square_1_1\",\"num_inference_steps\":51}  | num_inference_steps must be between 1 and 50",
            "BASE  | {\"prompt\":\"p\",\"image_size\":\"square_1_1\",\"num_inference_steps\":9}   | num_inference_steps must be between 10 and 100",
            "BASE  | {\"prompt\":\"p\",\"image_size\":\"square_1_1\",\"num_inference_steps\":101} | num_inference_steps must be between 10 and 100",
            "BASE  | {\"prompt\":\"p\",\"image_size\":\"square_1_1\",\"guidance_scale\":0.5}       | guidance_scale must be between 1 and 20",
            "BASE  | {\"prompt\":\"p\",\"image_size\":\"square_1_1\",\"guidance_scale\":21}        | guidance_scale must be between 1 and 20",
            "TURBO | {\"prompt\":\"p\",\"image_size\":\"square_2_2\"}                           | image_size must be one of portrait_3_4, landscape_4_3, square_1_1",
            "BASE  | {\"prompt\":\"p\",\"image_size\":\"1024x1024\"}                            | image_size must be one of",
            "TURBO | {\"prompt\":\"p\",\"image_size\":{\"width\":512,\"height\":512}}            | image_size must be a string",
            "TURBO | {\"prompt\":\"p\"}                                                         | image_size is required",
            "TURBO | {\"image_size\":\"square_1_1\"}                                            | prompt is required",
            "TURBO | {\"prompt\":\"p\",\"image_size\":\"square_1_1\",\"acceleration\":\"regular\"} | acceleration must be \"none\" for z-image-turbo-834",
            "BASE  | {\"prompt\":\"p\",\"image_size\":\"square_1_1\",\"acceleration\":\"none\"}    | acceleration must be one of regular, fast, ultra_fast",
            "TURBO | {\"prompt\":\"p\",\"image_size\":\"square_1_1\",\"num_images\":5}            | num_images must be between 1 and 4",
            "BASE  | {\"prompt\":\"p\",\"image_size\":\"square_1_1\",\"num_images\":0}            | num_images must be between 1 and 4",
            "TURBO | {\"prompt\":\"p\",\"image_size\":\"square_1_1\",\"output_format\":\"gif\"}   | output_format must be one of png, jpeg, webp",
            "TURBO | {\"prompt\":\"p\",\"image_size\":\"square_1_1\",\"enable_safety_checker\":\"yes\"} | enable_safety_checker must be true or false",
            "TURBO | {\"prompt\":\"p\",\"image_size\":\"square_1_1\",\"seed\":-1}                | seed must be between 0 and",
            "TURBO | not json                                                                 | Request body is not valid JSON",
    })
    void invalidBodiesAre400(String model, String body, String message) {
        SandboxServer server = start(instant());
        Answer answer = submit(server, model.equals("TURBO") ? TURBO : BASE, body);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("Bad Request");
        assertThat(answer.text("message")).startsWith(message);
        assertThat(server.stats().submissions()).isZero();
        assertThat(server.stats().rejectedSubmissions()).isEqualTo(1);
    }

    @Test
    void unknownModelIs400ModelNotFound() {
        SandboxServer server = start(instant());
        Answer answer = submit(server, "/z-image-turbo-999/v1/z-image-turbo-request",
                "{\"prompt\":\"p\",\"image_size\":\"square_1_1\"}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("Model not found");
        assertThat(answer.text("message")).isEqualTo("Model 'z-image-turbo-999' not found or is disabled");
    }

    @Test
    void missingKeyIs401WhenAKeyIsRequired() {
        SandboxServer server = start(instant().withRequireApiKey(true));
        String body = "{\"prompt\":\"p\",\"image_size\":\"square_1_1\"}";
        for (SandboxHttpClient anonymous : List.of(new SandboxHttpClient(KEY, null), new SandboxHttpClient(KEY, " "),
                new SandboxHttpClient("x-api-key", "segmind-key-is-not-pixazo-key"))) {
            Answer refused = anonymous.post(server.baseUrl().resolve(TURBO), body);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.text("error")).isEqualTo("Unauthorized");
            assertThat(refused.text("message")).contains("Ocp-Apim-Subscription-Key");
        }
        Answer accepted = submitOk(server, TURBO, body);
        assertThat(new SandboxHttpClient(KEY, null).get(accepted.text("polling_url")).status()).isEqualTo(401);
        assertThat(client.get(accepted.text("polling_url")).status()).isEqualTo(200);
        assertThat(server.stats().unauthorized()).isEqualTo(4);
        assertThat(server.stats().submissions()).isEqualTo(1);
    }

    @Test
    void unknownIdIs404AndApisDoNotSeeEachOthersJobs() {
        SandboxServer server = start(instant());
        Answer unknown = client.get(server.baseUrl().resolve("/v2/requests/status/z-image-turbo-834_nope"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().propertyNames()).containsExactly("error");
        assertThat(unknown.text("error")).isEqualTo("Request not found");

        String pixazoId = submitOk(server, TURBO, "{\"prompt\":\"p\",\"image_size\":\"square_1_1\"}").text("request_id");
        assertThat(client.get(server.baseUrl().resolve("/v2/requests/" + pixazoId + "/status")).status()).isEqualTo(404);
        String segmindId = client.post(server.baseUrl().resolve("/v2/z-image-turbo"), "{\"prompt\":\"p\"}")
                .text("request_id");
        assertThat(client.get(server.baseUrl().resolve("/v2/requests/status/" + segmindId)).status()).isEqualTo(404);
    }

    @Test
    void expiredIdIs404() {
        SandboxServer server = start(instant().withRetention(Duration.ofMillis(300)));
        Answer submitted = submitOk(server, TURBO, "{\"prompt\":\"p\",\"image_size\":\"square\"}");
        assertThat(client.get(submitted.text("polling_url")).status()).isEqualTo(200);
        sleep(400);
        assertThat(client.get(submitted.text("polling_url")).status()).isEqualTo(404);
    }

    @Test
    void failureRateGivesFailedWithNoOutput() {
        SandboxServer server = start(instant().withFailureRate(1.0));
        Answer submitted = submitOk(server, TURBO, "{\"prompt\":\"blocked\",\"image_size\":\"square\",\"num_images\":2}");
        Answer status = client.get(submitted.text("polling_url"));
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.text("status")).isEqualTo("FAILED");
        assertThat(status.text("error")).isEqualTo("Image blocked by the safety checker (sandbox simulation)");
        assertThat(status.json().get("output").isNull()).isTrue();
        assertThat(status.json().get("completed_at").isNull()).isFalse();
        String id = submitted.text("request_id");
        assertThat(client.get(server.baseUrl().resolve("/sandbox/images/" + id + "-0.png")).status()).isEqualTo(404);
    }

    @Test
    void errorRateGivesErrorWithNoOutputAndItsWebhook() {
        WebhookReceiver receiver = receiver(200);
        SandboxServer server = start(latency(50).withErrorRate(1.0).withFailureRate(1.0));
        Answer submitted = submitOk(server, BASE, "{\"prompt\":\"system error\",\"image_size\":\"square\"}",
                "X-Webhook-URL", receiver.url());
        Answer status = awaitDone(submitted.text("polling_url"));
        assertThat(status.text("status")).isEqualTo("ERROR");
        assertThat(status.text("error")).contains("not charged");
        assertThat(status.json().get("output").isNull()).isTrue();

        Delivery delivery = receiver.next();
        assertThat(SandboxHttpClient.MAPPER.readTree(delivery.body())).isEqualTo(status.json());
        await(() -> server.stats().webhookDeliveries() == 1);
    }

    @Test
    void webhookIsDeliveredRepeatedlyWithTheStatusBody() {
        WebhookReceiver receiver = receiver(200);
        SandboxServer server = start(latency(300).withWebhookRepeats(2));
        Answer submitted = submitOk(server, TURBO, "{\"prompt\":\"call me back\",\"image_size\":\"square\","
                + "\"num_images\":2}", "X-Webhook-URL", receiver.url());
        long submittedAt = System.nanoTime();

        Delivery first = receiver.next();
        assertThat(System.nanoTime() - submittedAt).as("not before the job is done")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        Delivery second = receiver.next();
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.contentType()).isEqualTo("application/json");
        assertThat(first.path()).isEqualTo("/hook");
        assertThat(second.body()).isEqualTo(first.body());

        Answer status = client.get(submitted.text("polling_url"));
        assertThat(status.text("status")).isEqualTo("COMPLETED");
        assertThat(SandboxHttpClient.MAPPER.readTree(first.body())).isEqualTo(status.json());
        assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo(
                new String(status.raw().body(), StandardCharsets.UTF_8));
        await(() -> server.stats().webhookDeliveries() == 2);
        sleep(100);
        assertThat(receiver.count()).as("exactly webhookRepeats deliveries").isEqualTo(2);
        assertThat(server.stats().webhookFailures()).isZero();
    }

    @Test
    void webhookFailuresAreCountedAndIgnored() {
        WebhookReceiver receiver = receiver(500);
        SandboxServer server = start(instant().withWebhookRepeats(3));
        submitOk(server, TURBO, "{\"prompt\":\"p\",\"image_size\":\"square\"}", "X-Webhook-URL", receiver.url());
        // and one to a port nobody listens on
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        submitOk(server, TURBO, "{\"prompt\":\"q\",\"image_size\":\"square\"}", "X-Webhook-URL",
                "http://127.0.0.1:" + closedPort + "/gone");
        await(() -> server.stats().webhookFailures() == 6);
        assertThat(server.stats().webhookDeliveries()).isZero();
        assertThat(receiver.count()).isEqualTo(3);
    }

    @Test
    void noWebhookWithZeroRepeats() {
        WebhookReceiver receiver = receiver(200);
        SandboxServer server = start(instant().withWebhookRepeats(0));
        Answer submitted = submitOk(server, TURBO, "{\"prompt\":\"p\",\"image_size\":\"square\"}",
                "X-Webhook-URL", receiver.url());
        assertThat(awaitDone(submitted.text("polling_url")).text("status")).isEqualTo("COMPLETED");
        sleep(150);
        assertThat(receiver.count()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/hook", "http://10.0.0.1/hook", "http://192.168.1.2:8080/x",
            "http://[2001:db8::1]/hook", "http://127.0.0.1.nip.io/hook", "http://localhost.example.com/",
            "ftp://127.0.0.1/hook", "http://128.0.0.1/", "http://127.0.0.256/", "not a url", "/relative"})
    void nonLoopbackWebhookIs400(String url) {
        SandboxServer server = start(instant());
        Answer answer = submit(server, TURBO, "{\"prompt\":\"p\",\"image_size\":\"square\"}", "X-Webhook-URL", url);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("Bad Request");
        assertThat(answer.text("message")).contains("X-Webhook-URL");
        assertThat(server.stats().submissions()).isZero();
        assertThat(server.stats().rejectedSubmissions()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:9/hook", "http://127.0.0.1:9/hook", "http://127.9.8.7/hook",
            "http://[::1]:9/hook", "https://LOCALHOST/hook"})
    void loopbackWebhooksAreAccepted(String url) {
        SandboxServer server = start(instant().withWebhookRepeats(0));
        submitOk(server, TURBO, "{\"prompt\":\"p\",\"image_size\":\"square\"}", "X-Webhook-URL", url);
    }

    @Test
    void aJobAndItsWebhookSurviveARestart(@TempDir Path stateDir) throws IOException {
        WebhookReceiver receiver = receiver(200);
        SandboxServer first = start(latency(1_000).withStateDir(stateDir));
        Answer submitted = submitOk(first, TURBO, "{\"prompt\":\"persisted\",\"image_size\":\"landscape_16_9\","
                + "\"num_images\":2,\"output_format\":\"webp\",\"seed\":5}", "X-Webhook-URL", receiver.url());
        String id = submitted.text("request_id");
        String persisted = Files.readString(stateDir.resolve(id + ".json"));
        assertThat(persisted).contains(receiver.url()).contains("\"api\":\"pixazo\"");
        first.close(); // before the job is done: the first server never delivers

        SandboxServer second = start(latency(1_000).withStateDir(stateDir)); // on a new port
        Delivery delivery = receiver.next();
        Answer status = client.get(second.baseUrl() + "/v2/requests/status/" + id);
        assertThat(status.text("status")).isEqualTo("COMPLETED");
        assertThat(SandboxHttpClient.MAPPER.readTree(delivery.body())).isEqualTo(status.json());
        String url = status.json().get("output").get("media_url").get(1).asString();
        assertThat(url).isEqualTo(second.baseUrl() + "/sandbox/images/" + id + "-1.webp");
        BufferedImage image = SandboxImagesTest.decodeWebpWithTwelveMonkeys(client.get(url).raw().body());
        assertThat(image.getWidth()).isEqualTo(1024);
        assertThat(image.getHeight()).isEqualTo(576);
        await(() -> Files.exists(stateDir.resolve(id + ".webhook-done")));
        assertThat(receiver.count()).isEqualTo(1);
        second.close();

        // a third server owes nothing any more
        SandboxServer third = start(instant().withStateDir(stateDir));
        sleep(150);
        assertThat(receiver.count()).isEqualTo(1);
        assertThat(third.stats().restoredSubmissions()).isEqualTo(1);
    }

    // --- a small webhook receiver ---

    record Delivery(String method, String path, String contentType, byte[] body) {
    }

    private WebhookReceiver receiver(int answerStatus) {
        WebhookReceiver receiver = new WebhookReceiver(answerStatus);
        receivers.add(receiver);
        return receiver;
    }

    static final class WebhookReceiver implements AutoCloseable {
        private final HttpServer http;
        private final LinkedBlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

        WebhookReceiver(int answerStatus) {
            try {
                http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            http.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    byte[] body = in.readAllBytes();
                    count.incrementAndGet();
                    deliveries.add(new Delivery(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                            exchange.getRequestHeaders().getFirst("Content-Type"), body));
                    exchange.sendResponseHeaders(answerStatus, -1);
                } finally {
                    exchange.close();
                }
            });
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/hook";
        }

        Delivery next() {
            try {
                Delivery delivery = deliveries.poll(10, TimeUnit.SECONDS);
                assertThat(delivery).as("a webhook delivery within 10 s").isNotNull();
                return delivery;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        int count() {
            return count.get();
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 10 s").isLessThan(deadline);
            sleep(10);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
