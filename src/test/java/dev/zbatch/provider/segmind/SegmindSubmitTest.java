package dev.zbatch.provider.segmind;

import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.provider.Submission;
import dev.zbatch.testing.StubServer;
import dev.zbatch.testing.StubServer.Reply;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmindSubmitTest extends SegmindStubFixture {

    private static final String ACCEPTED = """
            {"request_id":"req-1","status":"QUEUED",
             "poll_url":"%1$s/v2/requests/req-1/poll",
             "status_url":"%1$s/v2/requests/req-1/status",
             "response_url":"%1$s/v2/requests/req-1"}""";

    @Test
    void sendsPostWithKeyContentTypeAndAllFields() {
        stub.on("POST", "/v2/z-image-turbo", Reply.json(200, ACCEPTED.formatted(stub.base())));

        provider.submit("z-image-turbo", request(Map.of(
                "negative_prompt", "blurry", "strength", "0.35", "count", "3", "flag", "true", "off", "false",
                "zip", "0123")));

        StubServer.Recorded r = stub.only();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v2/z-image-turbo");
        assertThat(r.header("x-api-key")).isEqualTo(KEY);
        assertThat(r.header("content-type")).startsWith("application/json");
        assertThat(r.header("accept")).isEqualTo("application/json");

        JsonNode body = JsonMapper.builder().build().readTree(r.body());
        assertThat(body.path("prompt").asString()).isEqualTo("a red fox in the snow");
        assertThat(body.path("steps").isIntegralNumber()).isTrue();
        assertThat(body.path("steps").asInt()).isEqualTo(8);
        assertThat(body.path("guidance_scale").isNumber()).isTrue();
        assertThat(body.path("guidance_scale").asDouble()).isEqualTo(1.0);
        assertThat(body.path("seed").asLong()).isEqualTo(42);
        assertThat(body.path("width").asInt()).isEqualTo(768);
        assertThat(body.path("height").asInt()).isEqualTo(1024);
        assertThat(body.path("image_format").asString()).isEqualTo("webp");
        assertThat(body.path("quality").asInt()).isEqualTo(90);
        assertThat(body.path("base_64").isBoolean()).isTrue();
        assertThat(body.path("base_64").asBoolean()).isFalse();
        // extras: numbers as numbers, true/false as booleans, anything else (leading zeros too) as strings
        assertThat(body.path("negative_prompt").asString()).isEqualTo("blurry");
        assertThat(body.path("strength").isNumber()).isTrue();
        assertThat(body.path("strength").decimalValue()).isEqualByComparingTo("0.35");
        assertThat(body.path("count").isIntegralNumber()).isTrue();
        assertThat(body.path("count").asInt()).isEqualTo(3);
        assertThat(body.path("flag").isBoolean()).isTrue();
        assertThat(body.path("flag").asBoolean()).isTrue();
        assertThat(body.path("off").isBoolean()).isTrue();
        assertThat(body.path("off").asBoolean()).isFalse();
        assertThat(body.path("zip").isString()).isTrue();
        assertThat(body.path("zip").asString()).isEqualTo("0123");
        assertThat(body.propertyNames()).doesNotContain("num_images", "numImages", "guidanceScale", "imageFormat");
    }

    @Test
    void submissionTakesStatusUrlResponseUrlAndCreditsHeader() {
        stub.on("POST", "/v2/z-image-turbo", Reply.json(200, ACCEPTED.formatted(stub.base()))
                .header("x-credits-consumed", "0.031"));

        Submission s = provider.submit("z-image-turbo", request());

        assertThat(s.requestId()).isEqualTo("req-1");
        assertThat(s.pollUrl()).isEqualTo(URI.create(url("/v2/requests/req-1/status")));
        assertThat(s.resultUrl()).isEqualTo(URI.create(url("/v2/requests/req-1")));
        assertThat(s.costUsd()).isEqualByComparingTo(new BigDecimal("0.031"));
    }

    @Test
    void relativeUrlsAreResolvedAgainstTheBaseAndPollUrlIsTheFallback() {
        stub.on("POST", "/v2/z-image-turbo", Reply.json(202, """
                {"request_id":"req-2","status":"QUEUED","poll_url":"/v2/requests/req-2/status",
                 "response_url":"v2/requests/req-2"}""").header("x-credits-consumed", "n/a"));

        Submission s = provider.submit("z-image-turbo", request());

        assertThat(s.pollUrl()).isEqualTo(URI.create(url("/v2/requests/req-2/status")));
        assertThat(s.resultUrl()).isEqualTo(URI.create(url("/v2/requests/req-2")));
        assertThat(s.costUsd()).as("a non-numeric credits header is ignored").isNull();
    }

    @Test
    void noCreditsHeaderMeansNoCost() {
        stub.on("POST", "/v2/z-image-turbo", Reply.json(200, ACCEPTED.formatted(stub.base())));
        assertThat(provider.submit("z-image-turbo", request()).costUsd()).isNull();
    }

    @Test
    void aBaseUrlWithATrailingSlashStillPostsToV2Model() {
        provider.close();
        provider = new SegmindAsyncProvider(settings(URI.create(stub.base() + "/"), java.time.Duration.ofSeconds(5)));
        stub.on("POST", "/v2/z-image-turbo", Reply.json(200, ACCEPTED.formatted(stub.base())));
        provider.submit("z-image-turbo", request());
        assertThat(stub.only().path()).isEqualTo("/v2/z-image-turbo");
    }

    @Test
    void okWithoutRequestIdIsAProtocolError() {
        stub.on("POST", "/v2/z-image-turbo", Reply.json(200, "{\"status\":\"QUEUED\",\"note\":\"hi\"}"));
        var e = fails(() -> provider.submit("z-image-turbo", request()));
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("request_id").contains("status, note");
    }

    @Test
    void okWithoutAnyStatusUrlIsAProtocolErrorNamingTheRequest() {
        stub.on("POST", "/v2/z-image-turbo", Reply.json(200, "{\"request_id\":\"req-9\",\"status\":\"QUEUED\"}"));
        var e = fails(() -> provider.submit("z-image-turbo", request()));
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("req-9");
    }

    @Test
    void unparseableJsonIsAProtocolError() {
        stub.on("POST", "/v2/z-image-turbo", Reply.text(200, "<html>gateway</html>"));
        var e = fails(() -> provider.submit("z-image-turbo", request()));
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("not JSON").contains("<html>gateway</html>");
    }

    @Test
    void moreThanOneImageIsRefusedBeforeSending() {
        var r = new dev.zbatch.request.ImageRequest("p", 1024, 1024, 8, 1, -1, "webp", 90, 2, null, null, null, Map.of());
        var e = fails(() -> provider.submit("z-image-turbo", r));
        assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("must be 1");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void anExtraThatWouldOverwriteACanonicalFieldIsRefusedBeforeSending() {
        var e = fails(() -> provider.submit("z-image-turbo", request(Map.of("base_64", "true"))));
        assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("base_64");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void unknownModelIsRefusedBeforeSending() {
        assertThatThrownBy(() -> provider.submit("sdxl", request())).isInstanceOf(IllegalArgumentException.class);
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void nameAndModel() {
        assertThat(provider.name()).isEqualTo("segmind");
        assertThat(provider.model("z-image-turbo")).isSameAs(SegmindModels.TURBO);
    }
}
