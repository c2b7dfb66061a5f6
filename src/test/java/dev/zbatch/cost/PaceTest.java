package dev.zbatch.cost;

import dev.zbatch.testing.TestProperties;
import dev.zbatch.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PaceTest {

    private static Pace pace(int perMinute, int window, Duration latency) {
        return new Pace(perMinute, window, "test", latency, "test");
    }

    @Test
    void theRateLimitsWhenTheWindowCouldGoFaster() {
        // 50/min = 0.833/s; window 16 / 6.7 s = 2.39/s: the rate limits. 20,000 requests: 24,000 s + 6.7 s
        Pace segmind = pace(50, 16, Duration.ofMillis(6700));
        assertThat(segmind.requestsPerSecond()).isCloseTo(50 / 60.0, within(1e-12));
        assertThat(segmind.secondsFor(20_000)).isCloseTo(24_006.7, within(1e-6));
    }

    @Test
    void theWindowLimitsWhenLatencyIsLong() {
        // 1200/min = 20/s; window 4 / 10 s = 0.4/s: the window limits. 100 requests: 250 s + 10 s
        assertThat(pace(1200, 4, Duration.ofSeconds(10)).secondsFor(100)).isCloseTo(260, within(1e-9));
    }

    @Test
    void noRateLimitLeavesTheWindow() {
        // unlimited; 16 / 0.9 s = 17.78/s; 1000 requests: 56.25 s + 0.9 s
        assertThat(pace(0, 16, Duration.ofMillis(900)).secondsFor(1000)).isCloseTo(57.15, within(1e-9));
    }

    @Test
    void fromTheCommandOnTheStartUpComesFirstAndNothingToSendTakesNoTime() {
        // the estimate's figure: 2 s to start, then 100 requests at 20/s through a window of 4 over 10 s: 260 s
        Pace pace = pace(1200, 4, Duration.ofSeconds(10));
        assertThat(pace.secondsFromCommandFor(100)).isCloseTo(262, within(1e-9));
        assertThat(pace.secondsFromCommandFor(0)).isZero();
        assertThat(pace.describeFromCommand()).endsWith("and about 2 s for zbatch to start");
    }

    @Test
    void noRequestsTakeNoTimeAndNoLimitAtAllTakesOneLatency() {
        assertThat(pace(50, 16, Duration.ofSeconds(7)).secondsFor(0)).isZero();
        assertThat(pace(0, 16, Duration.ZERO).secondsFor(1_000_000)).isZero();
        assertThat(pace(0, 16, Duration.ZERO).requestsPerSecond()).isInfinite();
    }

    @Test
    void aWindowBelowOneIsAConfigurationError() {
        assertThatThrownBy(() -> pace(50, 0, Duration.ofSeconds(1))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("zbatch.submit.window");
    }

    @Test
    void eachProviderHasItsRateAndLatency() {
        Pace segmind = Pace.of(TestProperties.of("zbatch.provider", "segmind"));
        assertThat(segmind.submitsPerMinute()).isEqualTo(50);
        assertThat(segmind.window()).isEqualTo(16);
        assertThat(segmind.typicalLatency()).isEqualTo(Duration.ofMillis(6700));
        assertThat(segmind.describe())
                .isEqualTo("at 50 submissions/min, window 16, typical latency 6.7 s (Segmind's model page)");

        Pace pixazo = Pace.of(TestProperties.of("zbatch.provider", "pixazo",
                "zbatch.providers.pixazo.submits-per-minute", "120"));
        assertThat(pixazo.submitsPerMinute()).isEqualTo(120);
        assertThat(pixazo.typicalLatency()).isEqualTo(Duration.ofSeconds(10));
        assertThat(pixazo.latencySource()).contains("publishes none");

        Pace sandbox = Pace.of(TestProperties.of("zbatch.sandbox.min-latency", "200ms",
                "zbatch.sandbox.max-latency", "1s", "zbatch.sandbox.submits-per-minute", "600"));
        assertThat(sandbox.submitsPerMinute()).isEqualTo(600);
        assertThat(sandbox.typicalLatency()).isEqualTo(Duration.ofMillis(600));

        Pace set = Pace.of(TestProperties.of("zbatch.provider", "segmind", "zbatch.cost.typical-latency", "3s"));
        assertThat(set.typicalLatency()).isEqualTo(Duration.ofSeconds(3));
        assertThat(set.latencySource()).isEqualTo("zbatch.cost.typical-latency");
    }

    @Test
    void segmindSyncModeIsBoundedByTheCallsAtOnce() {
        Pace sync = Pace.of(TestProperties.of("zbatch.provider", "segmind", "zbatch.providers.segmind.mode", "sync",
                "zbatch.submit.concurrency", "4"));
        assertThat(sync.window()).isEqualTo(4);
    }

    @Test
    void durationsReadAtAGlance() {
        assertThat(Pace.human(22)).isEqualTo("22 s");
        assertThat(Pace.human(21.2)).isEqualTo("22 s");
        assertThat(Pace.human(200)).isEqualTo("3 min 20 s");
        assertThat(Pace.human(24_006.7)).isEqualTo("6 h 41 min");
        assertThat(Pace.human(7200)).isEqualTo("2 h");
        assertThat(Pace.human(200_000)).isEqualTo("2 d 8 h");
    }

    @Test
    void unsetTheWindowKeepsEveryAccountAtItsLimitByLittlesLaw() {
        // 6,000/min = 100/s for the sandbox's 0.9 s: 90 in flight on average, twice that kept
        assertThat(Pace.window(TestProperties.of("zbatch.sandbox.submits-per-minute", "6000"))).isEqualTo(180);
        // Segmind Pro: 0.83/s × 6.7 s = 5.6, under the least window
        assertThat(Pace.window(TestProperties.of("zbatch.provider", "segmind"))).isEqualTo(16);
        assertThat(Pace.window(TestProperties.of("zbatch.sandbox.submits-per-minute", "6000",
                "zbatch.submit.window", "8"))).isEqualTo(8);
    }

    @Test
    void severalAccountsGoAtTheirLimitsTogether() {
        Pace two = Pace.of(TestProperties.of("zbatch.provider", "segmind",
                "zbatch.accounts.main.submits-per-minute", "50", "zbatch.accounts.spare.submits-per-minute", "100"));
        assertThat(two.submitsPerMinute()).isEqualTo(150);
        // an account without a limit of its own leaves the run without one
        assertThat(Pace.of(TestProperties.of("zbatch.accounts.a.submits-per-minute", "60",
                "zbatch.accounts.b.submits-per-minute", "0")).submitsPerMinute()).isZero();
    }
}
