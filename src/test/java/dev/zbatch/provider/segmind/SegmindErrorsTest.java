package dev.zbatch.provider.segmind;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class SegmindErrorsTest {

    // parsing of rate-limit hints (Retry-After, x-rate-limit-reset-at-utc, body retry_after) is tested in
    // dev.zbatch.provider.RetryAfterTest; describe() in dev.zbatch.provider.http.HttpErrorsTest

    @Test
    void aPlaceholderKeyTooShortToBeAnyonesSecretIsNotMaskedInOrdinaryWords() {
        var errors = SegmindErrors.create("sandbox", JsonMapper.builder().build());
        assertThat(errors.errorText("{\"error\":\"Content blocked by the sandbox's safety simulation\"}".getBytes()))
                .isEqualTo("Content blocked by the sandbox's safety simulation");
    }

    @Test
    void errorTextPrefersErrorThenMessage() {
        var errors = SegmindErrors.create("sk-live-123456789", JsonMapper.builder().build());
        assertThat(errors.errorText("{\"message\":\"m\",\"error\":\"e\"}".getBytes())).isEqualTo("e");
        assertThat(errors.errorText("{\"message\":\"m\"}".getBytes())).isEqualTo("m");
        assertThat(errors.errorText("{\"error\":{\"message\":\"nested\"}}".getBytes())).isEqualTo("nested");
        assertThat(errors.errorText("plain sk-live-123456789".getBytes())).isEqualTo("plain ***");
        assertThat(errors.errorText(new byte[0])).isEmpty();
    }

    @Test
    void settingsNeverPrintTheKey() {
        var s = SegmindSettings.defaults("sk-very-secret-key");
        assertThat(s.toString()).doesNotContain("sk-very-secret-key");
        assertThat(s.baseUrl()).isEqualTo(URI.create("https://api.segmind.com"));
    }
}
