package dev.zbatch.provider.pacing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitsTest {

    @Test
    void acceptsZeroAsNoLimit() {
        RateLimits limits = new RateLimits(0, 50, 1);
        assertThat(limits.limitsSubmits()).isFalse();
        assertThat(limits.limitsCalls()).isTrue();
        assertThat(RateLimits.unlimited().limitsCalls()).isFalse();
    }

    @Test
    void rejectsNegativeRatesAndBurstBelowOne() {
        assertThatThrownBy(() -> new RateLimits(-1, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("submitsPerMinute");
        assertThatThrownBy(() -> new RateLimits(0, -5, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("callsPerMinute");
        assertThatThrownBy(() -> new RateLimits(50, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("burst");
    }
}
