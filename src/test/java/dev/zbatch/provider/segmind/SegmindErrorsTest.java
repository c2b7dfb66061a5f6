package dev.zbatch.provider.segmind;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SegmindErrorsTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void retryAfterDeltaSecondsAndHttpDate() {
        assertThat(SegmindErrors.parseRetryAfter("12", NOW)).isEqualTo(Duration.ofSeconds(12));
        assertThat(SegmindErrors.parseRetryAfter("1.5", NOW)).isEqualTo(Duration.ofMillis(1500));
        assertThat(SegmindErrors.parseRetryAfter("Sun, 01 Jun 2025 12:01:30 GMT", NOW))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(SegmindErrors.parseRetryAfter("Sun, 01 Jun 2025 11:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
        assertThat(SegmindErrors.parseRetryAfter("soon", NOW)).isNull();
        assertThat(SegmindErrors.parseRetryAfter(null, NOW)).isNull();
    }

    @Test
    void resetAtIsoInstantEpochSecondsAndMillis() {
        assertThat(SegmindErrors.parseResetAt("2025-06-01T12:00:45Z", NOW)).isEqualTo(Duration.ofSeconds(45));
        assertThat(SegmindErrors.parseResetAt("2025-06-01T12:00:45", NOW)).isEqualTo(Duration.ofSeconds(45));
        assertThat(SegmindErrors.parseResetAt("2025-06-01T14:00:45+02:00", NOW)).isEqualTo(Duration.ofSeconds(45));
        assertThat(SegmindErrors.parseResetAt(Long.toString(NOW.getEpochSecond() + 10), NOW))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(SegmindErrors.parseResetAt(Long.toString(NOW.toEpochMilli() + 2500), NOW))
                .isEqualTo(Duration.ofMillis(2500));
        assertThat(SegmindErrors.parseResetAt("garbage", NOW)).isNull();
    }

    @Test
    void retryAfterWinsOverResetAt() {
        assertThat(SegmindErrors.retryAfter(
                name -> name.equals("Retry-After") ? "3" : "2025-06-01T12:00:45Z", NOW))
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(SegmindErrors.retryAfter(
                name -> name.equals("Retry-After") ? null : "2025-06-01T12:00:45Z", NOW))
                .isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void describeLeavesOutTheQueryString() {
        assertThat(SegmindErrors.describe(URI.create("https://cdn.example.com/a.webp?sig=secret")))
                .isEqualTo("https://cdn.example.com/a.webp");
    }

    @Test
    void errorTextPrefersErrorThenMessage() {
        var errors = new SegmindErrors("k-123456", JsonMapper.builder().build());
        assertThat(errors.errorText("{\"message\":\"m\",\"error\":\"e\"}".getBytes())).isEqualTo("e");
        assertThat(errors.errorText("{\"message\":\"m\"}".getBytes())).isEqualTo("m");
        assertThat(errors.errorText("{\"error\":{\"message\":\"nested\"}}".getBytes())).isEqualTo("nested");
        assertThat(errors.errorText("plain k-123456".getBytes())).isEqualTo("plain ***");
        assertThat(errors.errorText(new byte[0])).isEmpty();
    }

    @Test
    void settingsNeverPrintTheKey() {
        var s = SegmindSettings.defaults("sk-very-secret-key");
        assertThat(s.toString()).doesNotContain("sk-very-secret-key");
        assertThat(s.baseUrl()).isEqualTo(URI.create("https://api.segmind.com"));
    }
}
