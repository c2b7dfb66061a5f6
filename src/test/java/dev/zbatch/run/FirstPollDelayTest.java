package dev.zbatch.run;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FirstPollDelayTest {

    /** Feeds first-poll outcomes for latencies drawn uniformly from [min, max] seconds. */
    private static Duration learn(FirstPollDelay delay, double min, double max, int polls) {
        Random random = new Random(42);
        for (int i = 0; i < polls; i++) {
            double latency = min + random.nextDouble() * (max - min);
            delay.observe(delay.current(), latency <= delay.current().toNanos() / 1e9);
        }
        return delay.current();
    }

    @Test
    void settlesNearTheChosenQuantileFromBelow() {
        FirstPollDelay delay = new FirstPollDelay(Duration.ofMillis(300), 0.9, 0.05, Duration.ofSeconds(10));
        Duration learned = learn(delay, 0.5, 2.0, 5000);
        assertThat(learned.toMillis()).isBetween(1700L, 1950L); // the 0.9-quantile is 1.85 s
    }

    @Test
    void settlesNearTheChosenQuantileFromAbove() {
        FirstPollDelay delay = new FirstPollDelay(Duration.ofSeconds(8), 0.9, 0.05, Duration.ofSeconds(10));
        assertThat(learn(delay, 0.5, 2.0, 5000).toMillis()).isBetween(1700L, 1950L);
    }

    @Test
    void aHighQuantileMeansAlmostEveryFirstPollFindsTheRequestDone() {
        FirstPollDelay delay = new FirstPollDelay(Duration.ofSeconds(1), 0.99, 0.1, Duration.ofSeconds(10));
        learn(delay, 0.5, 2.0, 3000);
        Random random = new Random(7);
        int pending = 0;
        for (int i = 0; i < 2000; i++) {
            double latency = 0.5 + random.nextDouble() * 1.5;
            boolean done = latency <= delay.current().toNanos() / 1e9;
            if (!done) pending++;
            delay.observe(delay.current(), done);
        }
        assertThat(pending).isLessThan(60); // about 1 %, well under 3 %
        assertThat(delay.current().toMillis()).isLessThan(2300L); // and no needless waiting past the slowest
    }

    @Test
    void aPatientDelayLetsAlmostNoFirstPollFindTheRequestPending() {
        // as zbatch runs it: 1 in 10,000; 40 requests in flight; started at the default 2 s
        FirstPollDelay delay = new FirstPollDelay(Duration.ofSeconds(2), 0.9999, 0.9, 0.25, Duration.ofSeconds(10));
        java.util.ArrayDeque<Duration> inFlight = new java.util.ArrayDeque<>();
        Random random = new Random(11);
        int pending = 0;
        for (int i = 0; i < 2040; i++) {
            inFlight.add(delay.current());
            if (inFlight.size() < 40) continue;
            Duration used = inFlight.poll();
            boolean done = 0.5 + random.nextDouble() * 1.5 <= used.toNanos() / 1e9;
            if (!done) pending++;
            delay.observe(used, done, false);
        }
        assertThat(pending).isLessThanOrEqualTo(2); // of 2000: at 0.99 it is about 20
        assertThat(delay.current().toMillis()).isLessThan(2600L);
    }

    @Test
    void outcomesSeenInAHurryAimAtTheHurriedQuantile() {
        FirstPollDelay delay = new FirstPollDelay(Duration.ofSeconds(8), 0.9999, 0.9, 0.05, Duration.ofSeconds(10));
        Random random = new Random(42);
        for (int i = 0; i < 5000; i++) {
            double latency = 0.5 + random.nextDouble() * 1.5;
            delay.observe(delay.current(), latency <= delay.current().toNanos() / 1e9, true);
        }
        assertThat(delay.current().toMillis()).isBetween(1700L, 1950L); // the 0.9-quantile is 1.85 s
        for (int i = 0; i < 5000; i++) delay.observe(delay.current(), true, false);
        assertThat(delay.current().toMillis()).isGreaterThan(1700L); // patient again: it hardly moves down
    }

    @Test
    void staysWithinItsBounds() {
        FirstPollDelay delay = new FirstPollDelay(Duration.ofSeconds(1), 0.9, 0.5, Duration.ofSeconds(3));
        for (int i = 0; i < 100; i++) delay.observe(delay.current(), false);
        assertThat(delay.current()).isEqualTo(Duration.ofSeconds(3));
        for (int i = 0; i < 100_000; i++) delay.observe(delay.current(), true);
        assertThat(delay.current().toMillis()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void outcomesOfOlderDelaysDoNotPushItPastTheQuantile() {
        // 40 requests are in flight at once: each outcome is for the delay set 40 outcomes earlier
        FirstPollDelay delay = new FirstPollDelay(Duration.ofMillis(300), 0.99, 0.1, Duration.ofSeconds(60));
        java.util.ArrayDeque<Duration> inFlight = new java.util.ArrayDeque<>();
        Random random = new Random(3);
        for (int i = 0; i < 6000; i++) {
            inFlight.add(delay.current());
            if (inFlight.size() < 40) continue;
            Duration used = inFlight.poll();
            double latency = 0.5 + random.nextDouble() * 1.5;
            delay.observe(used, latency <= used.toNanos() / 1e9);
        }
        assertThat(delay.current().toMillis()).isBetween(1900L, 2400L); // the 0.99-quantile is 1.985 s
    }

    @Test
    void aFixedDelayLearnsNothing() {
        FirstPollDelay delay = FirstPollDelay.fixed(Duration.ofSeconds(60));
        delay.observe(Duration.ofSeconds(60), false);
        delay.observe(Duration.ofSeconds(60), true);
        assertThat(delay.current()).isEqualTo(Duration.ofSeconds(60));
    }
}
