package dev.zbatch.sandbox;

import dev.zbatch.sandbox.SandboxHttpClient.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox's Segmind balance, {@code GET /v1/get-user-credits}, over real loopback HTTP. */
class SegmindCreditsSandboxTest {

    private final List<SandboxServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(SandboxServer::close);
    }

    private SandboxServer start(SandboxSettings settings) {
        SandboxServer server = SandboxServer.start(settings);
        servers.add(server);
        return server;
    }

    private static URI credits(SandboxServer server) {
        return server.baseUrl().resolve("/v1/get-user-credits");
    }

    @Test
    void answersTheConfiguredCredits() {
        SandboxServer server = start(SandboxSettings.defaults().withRequireApiKey(true)
                .withCredits(new BigDecimal("12.5")));
        Answer answer = new SandboxHttpClient("any-key").get(credits(server));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.raw().headers().firstValue("Content-Type")).contains("application/json");
        assertThat(answer.json().get("credits").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(answer.json().get("sandbox").asBoolean()).isTrue();
    }

    @Test
    void defaultsToOneHundredAndNeedsNoKeyByDefault() {
        SandboxServer server = start(SandboxSettings.defaults());
        Answer answer = new SandboxHttpClient(null).get(credits(server));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("credits").decimalValue()).isEqualByComparingTo("100");
        assertThat(SandboxSettings.defaults().credits()).isEqualByComparingTo("100");
    }

    @Test
    void withoutAKeyWhenOneIsRequiredIs401() {
        SandboxServer server = start(SandboxSettings.defaults().withRequireApiKey(true));
        Answer refused = new SandboxHttpClient(null).get(credits(server));
        Answer blank = new SandboxHttpClient(" ").get(credits(server));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.text("error")).isEqualTo("Unauthorized: missing x-api-key");
        assertThat(blank.status()).isEqualTo(401);
        assertThat(server.stats().unauthorized()).isEqualTo(2);
    }

    @Test
    void nothingIsDeductedBySubmissions() {
        SandboxServer server = start(SandboxSettings.defaults().withLatency(Duration.ZERO, Duration.ZERO)
                .withCredits(new BigDecimal("0.50")));
        SandboxHttpClient client = new SandboxHttpClient("k");
        Answer submitted = client.post(server.baseUrl().resolve("/v2/z-image-turbo"),
                "{\"prompt\":\"a fox\",\"width\":256,\"height\":256}");
        assertThat(submitted.status()).isEqualTo(200);

        assertThat(client.get(credits(server)).json().get("credits").decimalValue()).isEqualByComparingTo("0.50");
        assertThat(server.stats().submissions()).isEqualTo(1);
    }

    @Test
    void onlyGet() {
        SandboxServer server = start(SandboxSettings.defaults());
        Answer post = new SandboxHttpClient("k").post(credits(server), "{}");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.raw().headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void everyWithMethodKeepsTheCredits() {
        SandboxSettings defaults = SandboxSettings.defaults();
        assertThat(defaults.credits()).isEqualTo(SandboxSettings.DEFAULT_CREDITS);
        assertThat(defaults.withCredits(BigDecimal.ONE).withPort(0).withErrorRate(0.1).credits())
                .as("every with* keeps it").isEqualTo(BigDecimal.ONE);
        assertThatThrownBy(() -> defaults.withCredits(null)).isInstanceOf(NullPointerException.class);
    }
}
