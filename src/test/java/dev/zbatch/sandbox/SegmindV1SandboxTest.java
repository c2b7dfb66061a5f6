package dev.zbatch.sandbox;

import dev.zbatch.sandbox.SandboxHttpClient.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox's Segmind v1 (sync) endpoint over real loopback HTTP. */
class SegmindV1SandboxTest {

    private final List<SandboxServer> servers = new ArrayList<>();
    private final SandboxHttpClient client = new SandboxHttpClient("test-key");

    @AfterEach
    void stop() {
        servers.forEach(SandboxServer::close);
    }

    private SandboxServer start(SandboxSettings settings) {
        SandboxServer server = SandboxServer.start(settings);
        servers.add(server);
        return server;
    }

    private static SandboxSettings latency(long millis) {
        return SandboxSettings.defaults().withLatency(Duration.ofMillis(millis), Duration.ofMillis(millis));
    }

    private static URI v1(SandboxServer server) {
        return server.baseUrl().resolve("/v1/z-image-turbo");
    }

    @ParameterizedTest
    @CsvSource({"png, image/png", "jpeg, image/jpeg", "webp, image/webp"})
    void answersWithTheRawImageAfterTheLatency(String format, String contentType) throws IOException {
        SandboxServer server = start(latency(300).withRequireApiKey(true));
        String body = "{\"prompt\":\"A red bicycle\",\"image_format\":\"" + format + "\",\"width\":320,"
                + "\"height\":256,\"seed\":42,\"steps\":8}";
        long started = System.nanoTime();
        Answer answer = client.post(v1(server), body);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(answer.status()).isEqualTo(200);
        assertThat(elapsedMillis).as("the call waits the job's latency").isGreaterThanOrEqualTo(290);
        assertThat(answer.raw().headers().firstValue("Content-Type")).contains(contentType);
        assertThat(answer.raw().headers().firstValueAsLong("Content-Length")).hasValue(answer.raw().body().length);
        BufferedImage image = "webp".equals(format)
                ? SandboxImagesTest.decodeWebpWithTwelveMonkeys(answer.raw().body())
                : SandboxImagesTest.decode(answer.raw().body());
        assertThat(image.getWidth()).isEqualTo(320);
        assertThat(image.getHeight()).isEqualTo(256);
        assertThat(answer.raw().body()).as("the same image as the renderer's")
                .isEqualTo(SandboxImages.render("A red bicycle", 320, 256, format, 90, 42));

        assertThat(server.stats().submissions()).isEqualTo(1);
        assertThat(server.stats().submissionsOfBody(SandboxStats.bodyKey(body))).isEqualTo(1);
    }

    @Test
    void base64AnswersJsonWithImageAndSeed() throws IOException {
        SandboxServer server = start(latency(0));
        Answer answer = client.post(v1(server), "{\"prompt\":\"inline\",\"image_format\":\"png\",\"width\":256,"
                + "\"height\":384,\"seed\":77,\"base_64\":true}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.raw().headers().firstValue("Content-Type")).contains("application/json");
        assertThat(answer.json().propertyNames()).containsExactly("image", "seed");
        assertThat(answer.json().get("seed").asLong()).isEqualTo(77);
        BufferedImage image = SandboxImagesTest.decode(Base64.getDecoder().decode(answer.text("image")));
        assertThat(image.getWidth()).isEqualTo(256);
        assertThat(image.getHeight()).isEqualTo(384);
    }

    @Test
    void randomSeedIsReportedWithBase64() {
        SandboxServer server = start(latency(0));
        Answer answer = client.post(v1(server), "{\"prompt\":\"r\",\"width\":256,\"height\":256,\"base_64\":true}");
        assertThat(answer.json().get("seed").asLong()).isNotNegative();
    }

    @Test
    void failingJobIs400WithAnErrorBody() {
        SandboxServer server = start(latency(50).withFailureRate(1.0));
        Answer answer = client.post(v1(server), "{\"prompt\":\"blocked\",\"image_format\":\"png\",\"width\":256,\"height\":256}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().propertyNames()).containsExactly("error");
        assertThat(answer.text("error")).isEqualTo("Content blocked by the sandbox's safety simulation");
        assertThat(server.stats().submissions()).as("accepted, then failed").isEqualTo(1);
        assertThat(server.stats().rejectedSubmissions()).isZero();
    }

    @Test
    void invalidBodyIs400AndNotCounted() {
        SandboxServer server = start(latency(0));
        Answer answer = client.post(v1(server), "{\"prompt\":\"p\",\"steps\":76}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("error")).startsWith("steps must be between 1 and 75");
        assertThat(server.stats().submissions()).isZero();
        assertThat(server.stats().rejectedSubmissions()).isEqualTo(1);
    }

    @Test
    void missingKeyIs401AndOtherModelsAre404() {
        SandboxServer server = start(latency(0).withRequireApiKey(true));
        Answer refused = new SandboxHttpClient(null).post(v1(server), "{\"prompt\":\"p\"}");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.text("error")).isEqualTo("Unauthorized: missing x-api-key");
        Answer other = client.post(server.baseUrl().resolve("/v1/flux-schnell"), "{\"prompt\":\"p\"}");
        assertThat(other.status()).isEqualTo(404);
        assertThat(client.get(v1(server)).status()).isEqualTo(405);
    }

    @Test
    void sharesTheSubmissionRateLimit() {
        SandboxServer server = start(latency(0).withSubmitsPerMinute(2).withSubmitBurst(1));
        assertThat(client.post(server.baseUrl().resolve("/v2/z-image-turbo"), "{\"prompt\":\"v2\"}").status())
                .isEqualTo(200);
        Answer limited = client.post(v1(server), "{\"prompt\":\"v1\"}");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.raw().headers().firstValue("Retry-After")).isPresent();
        Answer pixazo = new SandboxHttpClient("Ocp-Apim-Subscription-Key", "k").post(
                server.baseUrl().resolve(PixazoSandboxTest.TURBO), "{\"prompt\":\"p\",\"image_size\":\"square\"}");
        assertThat(pixazo.status()).isEqualTo(429);
        assertThat(pixazo.text("error")).isEqualTo("Too Many Requests");
        assertThat(server.stats().rateLimited()).isEqualTo(2);
    }
}
