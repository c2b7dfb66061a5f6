package dev.zbatch.sandbox;

import dev.zbatch.sandbox.SandboxHttpClient.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox over real loopback HTTP, as the Segmind adapter will see it. */
class SandboxServerTest {

    private static final Duration NONE = Duration.ZERO;
    private final List<SandboxServer> servers = new ArrayList<>();
    private final SandboxHttpClient client = new SandboxHttpClient("test-key");

    @AfterEach
    void stopServers() {
        servers.forEach(SandboxServer::close);
    }

    private SandboxServer start(SandboxSettings settings) {
        SandboxServer server = SandboxServer.start(settings);
        servers.add(server);
        return server;
    }

    private static SandboxSettings instant() {
        return SandboxSettings.defaults().withLatency(NONE, NONE);
    }

    private static URI submitUrl(SandboxServer server) {
        return server.baseUrl().resolve("/v2/z-image-turbo");
    }

    private static String body(String prompt, String format, int width, int height, long seed) {
        return "{\"prompt\":\"" + prompt + "\",\"image_format\":\"" + format + "\",\"width\":" + width
                + ",\"height\":" + height + ",\"seed\":" + seed + ",\"quality\":85,\"steps\":8,\"guidance_scale\":1}";
    }

    private Answer submit(SandboxServer server, String body) {
        return client.post(submitUrl(server), body);
    }

    private Answer submitOk(SandboxServer server, String body) {
        Answer answer = submit(server, body);
        assertThat(answer.status()).as("submit answer %s", answer.json()).isEqualTo(200);
        return answer;
    }

    @ParameterizedTest
    @CsvSource({"png, png, image/png", "jpeg, jpg, image/jpeg", "webp, webp, image/webp"})
    void happyPathFromSubmitToDecodedImage(String format, String extension, String contentType) throws IOException {
        SandboxServer server = start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(1000), Duration.ofMillis(1000)).withRequireApiKey(true));
        String base = server.baseUrl().toString();
        assertThat(base).startsWith("http://127.0.0.1:");

        Answer submitted = submitOk(server, body("A red bicycle", format, 512, 384, 42));
        String id = submitted.text("request_id");
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(submitted.text("status")).isEqualTo("QUEUED");
        assertThat(submitted.text("status_url")).isEqualTo(base + "/v2/requests/" + id + "/status");
        assertThat(submitted.text("poll_url")).isEqualTo(submitted.text("status_url"));
        assertThat(submitted.text("response_url")).isEqualTo(base + "/v2/requests/" + id);

        Answer early = client.get(submitted.text("response_url"));
        assertThat(early.status()).isEqualTo(200);
        assertThat(early.text("status")).isIn("QUEUED", "PROCESSING");
        assertThat(early.json().has("output")).isFalse();

        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Answer status;
        int polls = 0;
        do {
            status = client.get(submitted.text("status_url"));
            polls++;
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.text("request_id")).isEqualTo(id);
            String state = status.text("status");
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) seen.add(state);
            sleep(15);
        } while (!"COMPLETED".equals(status.text("status")) && System.nanoTime() < deadline);
        assertThat(seen).containsExactly("QUEUED", "PROCESSING", "COMPLETED");
        assertThat(status.json().get("metrics").get("inference_time").asDouble()).isEqualTo(0.8);

        Answer result = client.get(submitted.text("response_url"));
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.text("status")).isEqualTo("COMPLETED");
        assertThat(result.json().get("seed").asLong()).isEqualTo(42);
        assertThat(result.json().get("metrics").get("inference_time").asDouble()).isEqualTo(0.8);
        assertThat(result.text("output")).isEqualTo(base + "/sandbox/images/" + id + "." + extension);

        Answer image = new SandboxHttpClient(null).get(result.text("output")); // image URLs need no key
        assertThat(image.status()).isEqualTo(200);
        assertThat(image.raw().headers().firstValue("Content-Type")).contains(contentType);
        assertThat(image.raw().headers().firstValueAsLong("Content-Length")).hasValue(image.raw().body().length);
        BufferedImage decoded = "webp".equals(format)
                ? SandboxImagesTest.decodeWebpWithTwelveMonkeys(image.raw().body())
                : SandboxImagesTest.decode(image.raw().body());
        assertThat(decoded.getWidth()).isEqualTo(512);
        assertThat(decoded.getHeight()).isEqualTo(384);

        // rendered on demand, but the same every time
        assertThat(client.get(result.text("output")).raw().body()).isEqualTo(image.raw().body());
        assertThat(server.stats().imageDownloads()).isEqualTo(2);
        assertThat(server.stats().resultFetches()).isEqualTo(2);
        assertThat(server.stats().statusPolls()).isEqualTo(polls);
        assertThat(server.stats().submissions()).isEqualTo(1);
    }

    @Test
    void randomSeedIsChosenOnceAtSubmission() {
        SandboxServer server = start(instant());
        Answer submitted = submitOk(server, "{\"prompt\":\"random\",\"seed\":-1,\"image_format\":\"png\",\"width\":256,\"height\":256}");
        long first = client.get(submitted.text("response_url")).json().get("seed").asLong();
        long second = client.get(submitted.text("response_url")).json().get("seed").asLong();
        assertThat(first).isNotNegative().isEqualTo(second);
    }

    @Test
    void defaultsAreSegmindsWebp1024() throws IOException {
        SandboxServer server = start(instant());
        Answer submitted = submitOk(server, "{\"prompt\":\"only a prompt\"}");
        Answer result = client.get(submitted.text("response_url"));
        assertThat(result.text("output")).endsWith(".webp");
        BufferedImage image = SandboxImagesTest.decodeWebpWithTwelveMonkeys(client.get(result.text("output")).raw().body());
        assertThat(image.getWidth()).isEqualTo(1024);
        assertThat(image.getHeight()).isEqualTo(1024);
    }

    @Test
    void missingKeyIs401WhenAKeyIsRequired() {
        SandboxServer server = start(instant().withRequireApiKey(true));
        SandboxHttpClient anonymous = new SandboxHttpClient(null);
        Answer refused = anonymous.post(submitUrl(server), body("p", "png", 256, 256, 1));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.text("error")).isEqualTo("Unauthorized: missing x-api-key");
        assertThat(new SandboxHttpClient(" ").post(submitUrl(server), body("p", "png", 256, 256, 1)).status())
                .isEqualTo(401);

        Answer accepted = submitOk(server, body("p", "png", 256, 256, 1));
        assertThat(anonymous.get(accepted.text("status_url")).status()).isEqualTo(401);
        assertThat(anonymous.get(accepted.text("response_url")).status()).isEqualTo(401);
        assertThat(server.stats().unauthorized()).isEqualTo(4);
        assertThat(server.stats().submissions()).isEqualTo(1);
    }

    @Test
    void noKeyNeededByDefault() {
        SandboxServer server = start(instant());
        assertThat(new SandboxHttpClient(null).post(submitUrl(server), body("p", "png", 256, 256, 1)).status())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"prompt\":\"p\",\"width\":4096}                  | width must be between 256 and 2048",
            "{\"prompt\":\"p\",\"height\":255}                  | height must be between 256 and 2048",
            "{\"prompt\":\"p\",\"steps\":0}                     | steps must be between 1 and 75",
            "{\"prompt\":\"p\",\"guidance_scale\":15.5}         | guidance_scale must be between 0 and 15",
            "{\"prompt\":\"p\",\"seed\":-2}                     | seed must be between -1 and 92147483647",
            "{\"prompt\":\"p\",\"quality\":101}                 | quality must be between 1 and 100",
            "{\"prompt\":\"p\",\"image_format\":\"gif\"}        | image_format must be one of jpeg, png, webp",
            "{\"prompt\":\"p\",\"width\":\"1024\"}              | width must be an integer",
            "{\"prompt\":\"p\",\"width\":1024.5}                | width must be an integer",
            "{\"prompt\":\"p\",\"base_64\":\"yes\"}             | base_64 must be true or false",
            "{\"width\":1024}                                   | prompt is required",
            "{\"prompt\":\"  \"}                                | prompt must not be empty",
            "[1,2]                                              | Request body must be a JSON object",
            "not json                                           | Request body is not valid JSON",
    })
    void outOfRangeOrMalformedBodiesAre400(String body, String error) {
        SandboxServer server = start(instant());
        Answer answer = submit(server, body);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("error")).startsWith(error);
        assertThat(server.stats().submissions()).isZero();
        assertThat(server.stats().rejectedSubmissions()).isEqualTo(1);
    }

    @Test
    void integralFloatsAndNullsAreAccepted() {
        SandboxServer server = start(instant());
        Answer answer = submitOk(server, "{\"prompt\":\"p\",\"width\":512.0,\"seed\":null,\"image_format\":\"PNG\"}");
        assertThat(client.get(answer.text("response_url")).text("output")).endsWith(".png");
    }

    @Test
    void unknownModelIs404() {
        SandboxServer server = start(instant());
        Answer answer = client.post(server.baseUrl().resolve("/v2/flux-schnell"), body("p", "png", 256, 256, 1));
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.text("error")).contains("flux-schnell");
    }

    @Test
    void failedJobsAre422OnStatusAndResult() {
        SandboxServer server = start(instant().withFailureRate(1.0));
        Answer submitted = submitOk(server, body("blocked", "png", 256, 256, 1));
        for (String url : new String[]{submitted.text("status_url"), submitted.text("response_url")}) {
            Answer answer = client.get(url);
            assertThat(answer.status()).isEqualTo(422);
            assertThat(answer.text("status")).isEqualTo("FAILED");
            assertThat(answer.text("request_id")).isEqualTo(submitted.text("request_id"));
            assertThat(answer.text("error")).isEqualTo("Content blocked by the sandbox's safety simulation");
        }
        URI image = server.baseUrl().resolve("/sandbox/images/" + submitted.text("request_id") + ".png");
        assertThat(client.get(image).status()).isEqualTo(404);
    }

    @Test
    void failureRateIsAFractionOfJobs() {
        SandboxServer server = start(instant().withFailureRate(0.5));
        int failed = 0;
        for (int i = 0; i < 200; i++) {
            Answer submitted = submitOk(server, body("row " + i, "png", 256, 256, 1));
            int status = client.get(submitted.text("status_url")).status();
            assertThat(status).isIn(200, 422);
            if (status == 422) failed++;
            // decided once: the result call agrees with the status call
            assertThat(client.get(submitted.text("response_url")).status()).isEqualTo(status);
        }
        assertThat(failed).isBetween(60, 140);
    }

    @Test
    void unknownIdIs404() {
        SandboxServer server = start(instant());
        for (String path : new String[]{"/v2/requests/00000000-0000-0000-0000-000000000000/status",
                "/v2/requests/00000000-0000-0000-0000-000000000000", "/v2/requests/..%2F..%2Fetc/status"}) {
            Answer answer = client.get(server.baseUrl().resolve(path));
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.text("error")).isEqualTo("Request not found");
        }
        assertThat(client.get(server.baseUrl().resolve("/sandbox/images/nope.png")).status()).isEqualTo(404);
        assertThat(client.get(server.baseUrl().resolve("/nothing/here")).status()).isEqualTo(404);
    }

    @Test
    void resultsExpireAfterRetention() {
        SandboxServer server = start(instant().withRetention(Duration.ofMillis(400)));
        Answer submitted = submitOk(server, body("short-lived", "png", 256, 256, 1));
        Answer result = client.get(submitted.text("response_url"));
        assertThat(result.status()).isEqualTo(200);
        assertThat(client.get(result.text("output")).status()).isEqualTo(200);

        sleep(500);
        assertThat(client.get(submitted.text("status_url")).status()).isEqualTo(404);
        Answer expired = client.get(submitted.text("response_url"));
        assertThat(expired.status()).isEqualTo(404);
        assertThat(expired.text("error")).isEqualTo("Request not found");
        assertThat(client.get(result.text("output")).status()).isEqualTo(404);
    }

    @Test
    void submissionsBeyondTheRateAre429WithRetryAfter() {
        // 2 per minute, burst 1: the second one must wait 30 s for the next token
        SandboxServer server = start(instant().withSubmitsPerMinute(2).withSubmitBurst(1));
        submitOk(server, body("first", "png", 256, 256, 1));
        Answer limited = submit(server, body("second", "png", 256, 256, 1));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.text("error")).contains("Rate limit");
        String retryAfter = limited.raw().headers().firstValue("Retry-After").orElseThrow();
        assertThat(retryAfter).matches("\\d+");
        assertThat(Long.parseLong(retryAfter)).isBetween(29L, 30L);
        assertThat(server.stats().rateLimited()).isEqualTo(1);
        assertThat(server.stats().submissions()).isEqualTo(1);
    }

    @Test
    void burstLetsSeveralThroughAtOnceThenRefillsAtTheRate() {
        // 60 per minute = one token per second, bucket of 3
        SandboxServer server = start(instant().withSubmitsPerMinute(60).withSubmitBurst(3));
        for (int i = 0; i < 3; i++) submitOk(server, body("burst " + i, "png", 256, 256, 1));
        Answer limited = submit(server, body("over", "png", 256, 256, 1));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.raw().headers().firstValue("Retry-After")).contains("1");
        sleep(1_050);
        submitOk(server, body("refilled", "png", 256, 256, 1));
        assertThat(server.stats().rateLimited()).isEqualTo(1);
        assertThat(server.stats().statusPolls()).isZero(); // polls are never limited nor counted as submits
    }

    @Test
    void jobsSurviveARestartOnTheSameStateDir(@TempDir Path stateDir) throws IOException {
        SandboxServer first = start(instant().withStateDir(stateDir));
        String body = body("persisted", "jpeg", 320, 256, 99);
        Answer submitted = submitOk(first, body);
        String id = submitted.text("request_id");
        String oldBase = first.baseUrl().toString();
        try (Stream<Path> files = Files.list(stateDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(id + ".json");
        }
        first.close();
        assertThatThrownBy(() -> client.get(submitted.text("status_url"))).as("the old server is gone")
                .isInstanceOf(UncheckedIOException.class);

        SandboxServer second = start(instant().withStateDir(stateDir));
        String newBase = second.baseUrl().toString();
        Answer status = client.get(newBase + "/v2/requests/" + id + "/status");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.text("status")).isEqualTo("COMPLETED");
        Answer result = client.get(newBase + "/v2/requests/" + id);
        assertThat(result.json().get("seed").asLong()).isEqualTo(99);
        assertThat(result.text("output")).isEqualTo(newBase + "/sandbox/images/" + id + ".jpg");
        Answer image = client.get(result.text("output"));
        assertThat(image.status()).isEqualTo(200);
        BufferedImage decoded = SandboxImagesTest.decode(image.raw().body());
        assertThat(decoded.getWidth()).isEqualTo(320);
        assertThat(decoded.getHeight()).isEqualTo(256);
        if (!newBase.equals(oldBase)) {
            assertThat(result.text("output")).doesNotStartWith(oldBase);
        }

        // the per-body counts survive too
        String key = SandboxStats.bodyKey(body);
        assertThat(second.stats().submissionsOfBody(key)).isEqualTo(1);
        assertThat(second.stats().restoredSubmissions()).isEqualTo(1);
        submitOk(second, body);
        assertThat(second.stats().submissionsOfBody(key)).isEqualTo(2);
        assertThat(second.stats().submissions()).isEqualTo(2);
    }

    @Test
    void memoryOnlyServersForgetOnRestart() {
        SandboxServer first = start(instant());
        String id = submitOk(first, body("volatile", "png", 256, 256, 1)).text("request_id");
        first.close();
        SandboxServer second = start(instant());
        assertThat(client.get(second.baseUrl().resolve("/v2/requests/" + id)).status()).isEqualTo(404);
        assertThat(second.stats().submissions()).isZero();
    }

    @Test
    void statsCountSubmissionsPerCanonicalBody() {
        SandboxServer server = start(instant());
        submitOk(server, "{\"prompt\":\"twice\",\"width\":512,\"height\":512}");
        submitOk(server, "{ \"height\": 512, \"width\": 512, \"prompt\": \"twice\" }"); // same body, other order
        submitOk(server, "{\"prompt\":\"once\",\"width\":512,\"height\":512}");

        SandboxStats stats = server.stats();
        assertThat(stats.submissions()).isEqualTo(3);
        assertThat(stats.submissionsOfBody(SandboxStats.bodyKey("{\"prompt\":\"twice\",\"width\":512,\"height\":512}")))
                .isEqualTo(2);
        assertThat(stats.submissionsOfBody(SandboxStats.bodyKey("{\"prompt\":\"once\",\"height\":512,\"width\":512}")))
                .isEqualTo(1);
        assertThat(stats.submissionsPerBody()).hasSize(2);
        assertThat(stats.maxSubmissionsOfOneBody()).isEqualTo(2);

        Answer json = client.get(server.baseUrl().resolve("/sandbox/stats"));
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.json().get("submissions").asLong()).isEqualTo(3);
        assertThat(json.json().get("max_submissions_of_one_body").asLong()).isEqualTo(2);
        assertThat(stats.requests()).isEqualTo(4);
    }

    @Test
    void wrongMethodIs405() {
        SandboxServer server = start(instant());
        assertThat(client.get(submitUrl(server)).status()).isEqualTo(405);
        assertThat(client.post(server.baseUrl().resolve("/v2/requests/x/status"), "{}").status()).isEqualTo(405);
    }

    @Test
    void base64ResultCarriesTheImageItself() throws IOException {
        SandboxServer server = start(instant());
        Answer submitted = submitOk(server, "{\"prompt\":\"inline\",\"image_format\":\"png\",\"width\":256,\"height\":256,\"base_64\":true}");
        String output = client.get(submitted.text("response_url")).text("output");
        BufferedImage image = SandboxImagesTest.decode(java.util.Base64.getDecoder().decode(output));
        assertThat(image.getWidth()).isEqualTo(256);
    }

    @Test
    void concurrentSubmissionsAreAllCounted() throws Exception {
        SandboxServer server = start(instant());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) submitOk(server, body("t" + thread + " i" + i, "png", 256, 256, 1));
                }));
            }
            for (Future<?> future : futures) future.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.stats().submissions()).isEqualTo(200);
        assertThat(server.stats().submissionsPerBody()).hasSize(200);
        assertThat(server.stats().maxSubmissionsOfOneBody()).isEqualTo(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
