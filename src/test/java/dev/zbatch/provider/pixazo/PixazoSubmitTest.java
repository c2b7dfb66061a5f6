package dev.zbatch.provider.pixazo;

import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.provider.Submission;
import dev.zbatch.testing.StubServer.Reply;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.testing.StubServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PixazoSubmitTest extends PixazoStubFixture {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode body(StubServer.Recorded r) {
        return JSON.readTree(r.body());
    }

    @Test
    void turboPostsToItsPathWithTheDocumentedHeadersAndFields() {
        stub.on("POST", TURBO_PATH, Reply.json(202, accepted(REQUEST_ID, url(STATUS_PATH))));

        Submission s = provider.submit(TURBO, turboRequest());

        assertThat(s.requestId()).isEqualTo(REQUEST_ID);
        assertThat(s.pollUrl()).isEqualTo(URI.create(url(STATUS_PATH)));
        assertThat(s.resultUrl()).isNull();
        assertThat(s.costUsd()).isNull();

        StubServer.Recorded r = stub.only();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo(TURBO_PATH);
        assertThat(r.header("Ocp-Apim-Subscription-Key")).isEqualTo(KEY);
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.header("X-Webhook-URL")).as("no webhook configured").isNull();

        JsonNode b = body(r);
        assertThat(b.path("prompt").asString()).isEqualTo("a red fox in the snow");
        assertThat(b.path("image_size").asString()).isEqualTo("landscape_4_3");
        assertThat(b.path("num_inference_steps").asInt()).isEqualTo(8);
        assertThat(b.path("num_images").asInt()).isEqualTo(1);
        assertThat(b.path("output_format").asString()).isEqualTo("png");
        assertThat(b.has("guidance_scale")).as("Turbo takes no guidance").isFalse();
        assertThat(b.has("seed")).as("seed -1 is left to Pixazo").isFalse();
        assertThat(b.has("enable_safety_checker")).isFalse();
        assertThat(b.has("acceleration")).isFalse();
        assertThat(b.propertyNames()).containsExactlyInAnyOrder(
                "prompt", "image_size", "num_inference_steps", "num_images", "output_format");
    }

    @Test
    void basePostsToItsPathWithGuidanceAndItsDefaults() {
        stub.on("POST", BASE_PATH, Reply.json(202, accepted("z-image-base_019d-abc",
                url("/v2/requests/status/z-image-base_019d-abc"))));

        Submission s = provider.submit(BASE, baseDefaults());

        assertThat(s.requestId()).isEqualTo("z-image-base_019d-abc");
        StubServer.Recorded r = stub.only();
        assertThat(r.path()).isEqualTo(BASE_PATH);
        assertThat(r.header("Ocp-Apim-Subscription-Key")).isEqualTo(KEY);
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
        JsonNode b = body(r);
        assertThat(b.path("num_inference_steps").asInt()).isEqualTo(28);
        assertThat(b.path("guidance_scale").isNumber()).isTrue();
        assertThat(b.path("guidance_scale").asDouble()).isEqualTo(4.0);
        assertThat(b.path("image_size").asString()).isEqualTo("square_1_1");
        assertThat(b.path("output_format").asString()).isEqualTo("png");
        assertThat(b.has("seed")).isFalse();
    }

    @Test
    void aFractionalGuidanceIsSentAsIs() {
        stub.on("POST", BASE_PATH, Reply.json(202, accepted("b1", null)));
        ImageRequest d = baseDefaults();
        provider.submit(BASE, new ImageRequest(d.prompt(), 1024, 1024, 40, 3.5, -1, "webp", 0, 2, "square_1_1",
                null, null, Map.of()));
        JsonNode b = body(stub.only());
        assertThat(b.path("guidance_scale").asDouble()).isEqualTo(3.5);
        assertThat(b.path("num_images").asInt()).isEqualTo(2);
        assertThat(b.path("output_format").asString()).isEqualTo("webp");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 42, 4_294_967_295L})
    void aFixedSeedIsSent(long seed) {
        stub.on("POST", TURBO_PATH, Reply.json(202, accepted(REQUEST_ID, null)));
        ImageRequest r = turboRequest();
        provider.submit(TURBO, new ImageRequest(r.prompt(), r.width(), r.height(), r.steps(), 0, seed, "png", 0, 1,
                r.imageSize(), null, null, Map.of()));
        assertThat(body(stub.only()).path("seed").asLong()).isEqualTo(seed);
    }

    @Test
    void safetyCheckerAndAccelerationAreSentOnlyWhenSet() {
        stub.on("POST", BASE_PATH, Reply.json(202, accepted("b1", null)));
        ImageRequest d = baseDefaults();
        provider.submit(BASE, new ImageRequest(d.prompt(), 1024, 1024, 28, 4, -1, "png", 0, 1, "square_1_1",
                false, "ultra_fast", Map.of()));
        JsonNode b = body(stub.only());
        assertThat(b.path("enable_safety_checker").isBoolean()).isTrue();
        assertThat(b.path("enable_safety_checker").asBoolean()).isFalse();
        assertThat(b.path("acceleration").asString()).isEqualTo("ultra_fast");
    }

    @Test
    void extrasPassThroughWithJsonTypes() {
        stub.on("POST", BASE_PATH, Reply.json(202, accepted("b1", null)));
        Map<String, String> extras = new LinkedHashMap<>();
        extras.put("negative_prompt", "blurry, low quality");
        extras.put("shift", "3.5");
        extras.put("num_frames", "12");
        extras.put("sync_mode", "false");
        extras.put("code", "007");
        ImageRequest d = baseDefaults();
        provider.submit(BASE, new ImageRequest(d.prompt(), 1024, 1024, 28, 4, -1, "png", 0, 1, "square_1_1",
                null, null, extras));
        JsonNode b = body(stub.only());
        assertThat(b.path("negative_prompt").asString()).isEqualTo("blurry, low quality");
        assertThat(b.path("shift").isNumber()).isTrue();
        assertThat(b.path("shift").asDouble()).isEqualTo(3.5);
        assertThat(b.path("num_frames").isIntegralNumber()).isTrue();
        assertThat(b.path("num_frames").asInt()).isEqualTo(12);
        assertThat(b.path("sync_mode").isBoolean()).isTrue();
        assertThat(b.path("sync_mode").asBoolean()).isFalse();
        assertThat(b.path("code").isString()).as("leading zeros stay a string").isTrue();
        assertThat(b.path("code").asString()).isEqualTo("007");
    }

    @ParameterizedTest
    @ValueSource(strings = {"prompt", "image_size", "num_inference_steps", "num_images", "output_format",
            "guidance_scale", "enable_safety_checker", "acceleration", "seed"})
    void anExtraThatCollidesWithAFieldZbatchSetsIsRefusedBeforeSending(String name) {
        var e = fails(() -> provider.submit(TURBO, turboRequest(Map.of(name, "1"))));
        assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(e.httpStatus()).isZero();
        assertThat(e.getMessage()).contains(name).contains("nothing was sent");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void theWebhookHeaderIsSentWhenConfigured() {
        URI hook = URI.create("https://hooks.example.org/pixazo/webhook/0123456789abcdef0123456789abcdef");
        stub.on("POST", TURBO_PATH, Reply.json(202, accepted(REQUEST_ID, null)));
        try (PixazoProvider p = new PixazoProvider(settings(stub.base(), Duration.ofSeconds(5)).withWebhookUrl(hook),
                null)) {
            p.submit(TURBO, turboRequest());
        }
        assertThat(stub.only().header("X-Webhook-URL")).isEqualTo(hook.toString());
    }

    @Test
    void aRelativePollingUrlIsResolvedAgainstTheBaseUrl() {
        stub.on("POST", TURBO_PATH, Reply.json(202, accepted(REQUEST_ID, STATUS_PATH)));
        assertThat(provider.submit(TURBO, turboRequest()).pollUrl()).isEqualTo(URI.create(url(STATUS_PATH)));
    }

    @Test
    void anAbsolutePollingUrlOnAnotherHostIsKeptAsGiven() {
        String elsewhere = "https://status.pixazo.example/v2/requests/status/" + REQUEST_ID;
        stub.on("POST", TURBO_PATH, Reply.json(202, accepted(REQUEST_ID, elsewhere)));
        assertThat(provider.submit(TURBO, turboRequest()).pollUrl()).isEqualTo(URI.create(elsewhere));
    }

    @Test
    void withoutAPollingUrlTheUniversalStatusUrlIsUsed() {
        stub.on("POST", TURBO_PATH, Reply.json(202, accepted(REQUEST_ID, null)));
        assertThat(provider.submit(TURBO, turboRequest()).pollUrl()).isEqualTo(URI.create(url(STATUS_PATH)));
    }

    @Test
    void theUniversalStatusUrlHandlesATrailingSlashInTheBaseUrl() {
        stub.on("POST", TURBO_PATH, Reply.json(202, accepted(REQUEST_ID, "")));
        try (PixazoProvider p = new PixazoProvider(settings(URI.create(stub.base() + "/"), Duration.ofSeconds(5)),
                null)) {
            assertThat(p.submit(TURBO, turboRequest()).pollUrl()).isEqualTo(URI.create(url(STATUS_PATH)));
        }
        assertThat(stub.only().path()).isEqualTo(TURBO_PATH);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201})
    void http200And201AreAcceptedToo(int status) {
        stub.on("POST", TURBO_PATH, Reply.json(status, accepted(REQUEST_ID, STATUS_PATH)));
        assertThat(provider.submit(TURBO, turboRequest()).requestId()).isEqualTo(REQUEST_ID);
    }

    @Test
    void anAnswerWithoutARequestIdIsAProtocolError() {
        stub.on("POST", TURBO_PATH, Reply.json(202, "{\"status\":\"QUEUED\"}"));
        var e = fails(() -> provider.submit(TURBO, turboRequest()));
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("request_id").contains("status");
    }

    @Test
    void anAnswerThatIsNotJsonIsAProtocolError() {
        stub.on("POST", TURBO_PATH, Reply.text(202, "<html>queued</html>"));
        var e = fails(() -> provider.submit(TURBO, turboRequest()));
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.httpStatus()).isEqualTo(202);
        assertThat(e.getMessage()).contains("not JSON");
    }

    @Test
    void anUnknownModelIsRefusedBeforeSending() {
        assertThatThrownBy(() -> provider.submit("z-image-edit", turboRequest()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("z-image-edit");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void anEmptyPromptOrAMissingSizeIsRefusedBeforeSending() {
        ImageRequest r = turboRequest();
        var blank = fails(() -> provider.submit(TURBO, new ImageRequest(" ", 1024, 768, 8, 0, -1, "png", 0, 1,
                r.imageSize(), null, null, Map.of())));
        assertThat(blank.kind()).isEqualTo(Kind.BAD_REQUEST);
        var noSize = fails(() -> provider.submit(TURBO, new ImageRequest(r.prompt(), 1024, 768, 8, 0, -1, "png", 0,
                1, null, null, null, Map.of())));
        assertThat(noSize.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(noSize.getMessage()).contains("image_size");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void modelSpecsComeFromPixazoModels() {
        assertThat(provider.name()).isEqualTo("pixazo");
        assertThat(provider.model(TURBO)).isSameAs(PixazoModels.TURBO);
        assertThat(provider.model(BASE)).isSameAs(PixazoModels.BASE);
        assertThatThrownBy(() -> provider.model("nope")).isInstanceOf(IllegalArgumentException.class);
    }
}
