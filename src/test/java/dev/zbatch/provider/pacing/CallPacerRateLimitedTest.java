package dev.zbatch.provider.pacing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Pauses, backoff and the rate factor after a 429, on a fake clock. */
class CallPacerRateLimitedTest {

    static final long MS = 1_000_000L;
    static final long S = 1000 * MS;

    private final FakeClock clock = new FakeClock();

    private CallPacer pacer(int submits, int calls, int burst, double jitter) {
        return new CallPacer(new RateLimits(submits, calls, burst), clock, clock, () -> jitter);
    }

    @Test
    void retryAfterPausesSubmitsAndPolls() throws InterruptedException {
        CallPacer pacer = pacer(1200, 1200, 5, 0);
        clock.advance(Duration.ofSeconds(7));
        pacer.rateLimited(Duration.ofSeconds(3));

        pacer.beforeSubmit();
        assertThat(clock.nanos()).isGreaterThanOrEqualTo(10 * S);
        pacer.beforeCall();
        assertThat(clock.nanos()).isGreaterThanOrEqualTo(10 * S);
        assertThat(pacer.rateLimitedAnswers()).isEqualTo(1);
    }

    @Test
    void aPauseThatStartsWhileACallerWaitsAppliesToIt() throws InterruptedException {
        CallPacer pacer = pacer(60, 0, 1, 0);
        pacer.beforeSubmit(); // t = 0; the next token is due at 1 s
        AtomicBoolean fired = new AtomicBoolean();
        AtomicLong pausedAt = new AtomicLong();
        clock.onSleep(nanos -> {
            if (fired.compareAndSet(false, true)) {
                clock.advance(Duration.ofMillis(400)); // another thread's 429 arrives 400 ms into this wait
                pausedAt.set(clock.nanos());
                pacer.rateLimited(Duration.ofSeconds(3));
            }
        });

        pacer.beforeSubmit();

        assertThat(clock.nanos()).isGreaterThanOrEqualTo(pausedAt.get() + 3 * S);
    }

    @Test
    void aPauseStartingWhileThreadsWaitHoldsThemAll() throws Exception {
        SimScheduler sim = new SimScheduler();
        CallPacer pacer = new CallPacer(new RateLimits(60, 120, 1), sim, sim, () -> 0.0);
        List<Long> sends = Collections.synchronizedList(new ArrayList<>());
        sim.at(1500 * MS, () -> pacer.rateLimited(Duration.ofSeconds(3)));
        List<SimScheduler.Task> tasks = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            boolean submitter = t > 0;
            tasks.add(() -> {
                for (int i = 0; i < 3; i++) {
                    if (submitter) {
                        pacer.beforeSubmit();
                    } else {
                        pacer.beforeCall();
                    }
                    sends.add(sim.nanos());
                }
            });
        }

        sim.run(tasks);

        assertThat(sends).hasSize(9);
        assertThat(sends).as("nothing is sent during the pause 1.5 s .. 4.5 s")
                .allMatch(t -> t <= 1500 * MS || t >= 4500 * MS);
        assertThat(sends).filteredOn(t -> t >= 4500 * MS).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void aLaterShorterPauseDoesNotShortenIt() throws InterruptedException {
        CallPacer pacer = pacer(0, 0, 1, 0);
        pacer.rateLimited(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(1));
        pacer.rateLimited(Duration.ofSeconds(2));
        pacer.rateLimited(null);
        assertThat(pacer.pauseRemaining()).isEqualTo(Duration.ofSeconds(9));

        pacer.beforeCall();
        assertThat(clock.nanos()).isEqualTo(10 * S);
    }

    @Test
    void aLongerLaterPauseExtendsIt() {
        CallPacer pacer = pacer(0, 0, 1, 0);
        pacer.rateLimited(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(1));
        pacer.rateLimited(Duration.ofSeconds(5));
        assertThat(pacer.pauseRemaining()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void backoffWithoutAHintDoublesAndCapsAtAMinute() {
        CallPacer pacer = pacer(0, 0, 1, 0);
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            pacer.rateLimited(null);
            long pause = pacer.pauseRemaining().toNanos();
            pauses.add(pause / S);
            clock.advance(Duration.ofNanos(pause)); // the retry after the pause is answered 429 again
        }
        assertThat(pauses).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);

        pacer.succeeded();
        pacer.rateLimited(null);
        assertThat(pacer.pauseRemaining()).as("a success starts the backoff again").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void backoffJitterStaysWithinBounds() {
        Random random = new Random(42);
        FakeClock c = new FakeClock();
        CallPacer pacer = new CallPacer(RateLimits.unlimited(), c, c, random::nextDouble);
        long[] nominal = {1, 2, 4, 8, 16, 32, 60, 60, 60, 60};
        boolean sawJitter = false;
        for (long n : nominal) {
            pacer.rateLimited(null);
            long pause = pacer.pauseRemaining().toNanos();
            assertThat(pause).isBetween((long) (n * S * 0.8), n * S);
            sawJitter |= pause != n * S;
            c.advance(Duration.ofNanos(pause));
        }
        assertThat(sawJitter).isTrue();
    }

    @Test
    void rateFactorDropsAndCreepsBackAfterTheQuietSpell() throws InterruptedException {
        CallPacer pacer = pacer(1200, 0, 1, 0);
        assertThat(pacer.rateFactor()).isEqualTo(1.0);

        pacer.rateLimited(Duration.ofSeconds(2));
        assertThat(pacer.rateFactor()).isCloseTo(0.7, within(1e-9));

        clock.advance(Duration.ofSeconds(2)); // pause over
        pacer.beforeSubmit();
        long first = clock.nanos();
        pacer.beforeSubmit();
        assertThat(clock.nanos() - first).as("50 ms / 0.7").isCloseTo(71_428_571L, within(1_000L));

        clock.advance(Duration.ofSeconds(10).minusNanos(clock.nanos() - first + 1));
        assertThat(pacer.rateFactor()).as("not yet 10 s").isCloseTo(0.7, within(1e-9));
        clock.advance(Duration.ofMillis(1));
        assertThat(pacer.rateFactor()).isCloseTo(0.8, within(1e-9));
        clock.advance(Duration.ofSeconds(10));
        assertThat(pacer.rateFactor()).isCloseTo(0.9, within(1e-9));
        clock.advance(Duration.ofSeconds(25));
        assertThat(pacer.rateFactor()).isEqualTo(1.0);
        clock.advance(Duration.ofSeconds(100));
        assertThat(pacer.rateFactor()).isEqualTo(1.0);

        pacer.beforeSubmit();
        long t = clock.nanos();
        pacer.beforeSubmit();
        assertThat(clock.nanos() - t).as("full rate again").isEqualTo(50 * MS);
    }

    @Test
    void aNewQuietSpellStartsAtEveryRateLimit() {
        CallPacer pacer = pacer(0, 600, 1, 0);
        pacer.rateLimited(Duration.ZERO);
        clock.advance(Duration.ofSeconds(9));
        pacer.rateLimited(Duration.ZERO);
        assertThat(pacer.rateFactor()).isCloseTo(0.49, within(1e-9));
        clock.advance(Duration.ofSeconds(9));
        assertThat(pacer.rateFactor()).isCloseTo(0.49, within(1e-9));
        clock.advance(Duration.ofSeconds(1));
        assertThat(pacer.rateFactor()).isCloseTo(0.59, within(1e-9));
    }

    @Test
    void rateFactorHasAFloor() {
        CallPacer pacer = pacer(0, 600, 1, 0);
        for (int i = 0; i < 10; i++) {
            pacer.rateLimited(Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(pacer.rateFactor()).isEqualTo(0.2);
        assertThat(pacer.rateLimitedAnswers()).isEqualTo(10);
    }

    @Test
    void answersToCallsSentBeforeThePauseAreOneEpisode() {
        CallPacer pacer = pacer(0, 600, 1, 0);
        for (int i = 0; i < 8; i++) {
            pacer.rateLimited(null); // eight calls in flight all come back 429 at once
        }
        assertThat(pacer.rateLimitedAnswers()).isEqualTo(8);
        assertThat(pacer.rateFactor()).as("slowed down once").isCloseTo(0.7, within(1e-9));
        assertThat(pacer.pauseRemaining()).as("backoff not doubled eight times").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void reconfiguringCreatesNoTokensAndStaysWithinTheLimit() throws InterruptedException {
        CallPacer pacer = pacer(0, 600, 4, 0);
        List<Long> times = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 3000; i++) {
            if (random.nextInt(100) == 0) {
                pacer.rateLimited(random.nextBoolean() ? null : Duration.ofMillis(random.nextInt(2000)));
            }
            pacer.beforeCall();
            times.add(clock.nanos());
        }
        assertThat(CallPacerPacingTest.maxInWindow(times, 60 * S)).isLessThanOrEqualTo(600 + 4 - 1);
    }

    @Test
    void afterARateLimitTheBurstIsNotSpentAtOnce() throws InterruptedException {
        CallPacer pacer = pacer(0, 600, 5, 0);
        clock.advance(Duration.ofSeconds(30)); // bucket full
        pacer.rateLimited(Duration.ZERO);

        pacer.beforeCall();
        long first = clock.nanos();
        pacer.beforeCall();
        assertThat(clock.nanos() - first).as("paced at 100 ms / 0.7, no burst").isGreaterThan(100 * MS);
    }

    @Test
    void raisingTheRateAgainCreatesNoTokens() throws InterruptedException {
        CallPacer pacer = pacer(600, 600, 5, 0);
        pacer.rateLimited(Duration.ZERO); // buckets emptied
        long previous = clock.nanos();
        pacer.beforeSubmit();
        while (clock.nanos() < 45 * S) { // crosses four rate increases
            previous = clock.nanos();
            if (clock.nanos() % 2 == 0) {
                pacer.beforeSubmit();
            } else {
                pacer.beforeCall();
            }
            assertThat(clock.nanos() - previous).as("at %d ns: no burst from a reconfiguration", previous)
                    .isGreaterThanOrEqualTo(99 * MS);
        }
        assertThat(pacer.rateFactor()).isEqualTo(1.0);
    }

    @Test
    void aRateLimitAfterAQuietSpellCutsFromTheRecoveredRate() {
        CallPacer pacer = pacer(0, 600, 1, 0);
        pacer.rateLimited(Duration.ZERO);
        clock.advance(Duration.ofMinutes(5)); // nobody asked for the factor meanwhile
        pacer.rateLimited(Duration.ZERO);
        assertThat(pacer.rateFactor()).isCloseTo(0.7, within(1e-9));
    }
}
