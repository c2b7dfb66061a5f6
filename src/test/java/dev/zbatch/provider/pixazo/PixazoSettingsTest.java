package dev.zbatch.provider.pixazo;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PixazoSettingsTest {

    private static final String KEY = "pz-SECRET-0f9e8d7c";

    @Test
    void defaultsPointAtTheGatewayWithoutAWebhook() {
        PixazoSettings s = PixazoSettings.defaults(KEY);
        assertThat(s.baseUrl()).isEqualTo(URI.create("https://gateway.pixazo.ai"));
        assertThat(s.apiKey()).isEqualTo(KEY);
        assertThat(s.webhookUrl()).isNull();
        assertThat(s.connectTimeout()).isPositive();
        assertThat(s.responseTimeout()).isPositive();
        assertThat(s.maxConnections()).isPositive();
    }

    @Test
    void toStringHidesTheKeyAndTheWebhookToken() {
        String token = "0123456789abcdef0123456789abcdef";
        PixazoSettings s = PixazoSettings.defaults(KEY)
                .withWebhookUrl(URI.create("https://hooks.example.org:8443/pixazo/webhook/" + token));
        assertThat(s.toString()).doesNotContain(KEY).doesNotContain(token)
                .contains("apiKey=***").contains("https://hooks.example.org:8443/***");
        assertThat(PixazoSettings.defaults(null).toString()).contains("apiKey=(none)").contains("webhookUrl=(none)");
    }

    @Test
    void refusesUnusableValues() {
        assertThatThrownBy(() -> PixazoSettings.defaults(KEY).withBaseUrl(URI.create("gateway.pixazo.ai")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PixazoSettings.defaults(KEY).withWebhookUrl(URI.create("/relative/secret")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("secret");
        assertThatThrownBy(() -> PixazoSettings.defaults(KEY).withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PixazoSettings.defaults(KEY).withMaxConnections(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
