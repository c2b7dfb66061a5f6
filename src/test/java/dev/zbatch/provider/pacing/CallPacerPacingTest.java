package dev.zbatch.provider.pacing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Spacing and window limits of the buckets, on a fake clock. */
class CallPacerPacingTest {

    static final long MS = 1_000_000L;
    static final long MINUTE = 60_000 * MS;

    private final FakeClock clock = new FakeClock();

    private CallPacer pacer(int submits, int calls, int burst) {
        return new CallPacer(new RateLimits(submits, calls, burst), clock, clock, () -> 0.0);
    }

    private List<Long> submits(CallPacer pacer, int n) throws InterruptedException {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pacer.beforeSubmit();
            times.add(clock.nanos());
        }
        return times;
    }

    /** The most calls in any half-open window [t, t + window) starting at a call. */
    static int maxInWindow(List<Long> sortedTimes, long window) {
        int max = 0;
        int j = 0;
        for (int i = 0; i < sortedTimes.size(); i++) {
            if (j < i) {
                j = i;
            }
            while (j < sortedTimes.size() && sortedTimes.get(j) - sortedTimes.get(i) < window) {
                j++;
            }
            max = Math.max(max, j - i);
        }
        return max;
    }

    @Test
    void burstOneSpacesSubmissionsEvenly() throws InterruptedException {
        List<Long> times = submits(pacer(1200, 0, 1), 100);

        for (int i = 0; i < times.size(); i++) {
            assertThat(times.get(i)).as("submission %d", i).isEqualTo(i * 50 * MS);
        }
        assertThat(clock.sleeps()).as("one sleep per wait, no spinning").hasSize(99).allMatch(s -> s == 50 * MS);
    }

    @Test
    void burstFiveLetsFiveGoAtOnceThenSpaces() throws InterruptedException {
        List<Long> times = submits(pacer(1200, 0, 5), 20);

        assertThat(times.subList(0, 5)).containsOnly(0L);
        for (int i = 5; i < times.size(); i++) {
            assertThat(times.get(i)).as("submission %d", i).isEqualTo((i - 4) * 50 * MS);
        }
    }

    @Test
    void neverMoreThanRatePlusBurstMinusOneInAnyMinute() throws InterruptedException {
        for (int burst : new int[] {1, 5, 30}) {
            FakeClock c = new FakeClock();
            CallPacer pacer = new CallPacer(new RateLimits(1200, 0, burst), c, c, () -> 0.0);
            List<Long> times = new ArrayList<>();
            Random random = new Random(burst);
            for (int i = 0; i < 4000; i++) {
                if (random.nextInt(300) == 0) {
                    c.advance(Duration.ofMillis(random.nextInt(5000))); // quiet spells refill the burst
                }
                pacer.beforeSubmit();
                times.add(c.nanos());
            }
            assertThat(maxInWindow(times, MINUTE)).as("burst %d", burst).isLessThanOrEqualTo(1200 + burst - 1);
            assertThat(maxInWindow(times, MINUTE)).as("the limit is reached, not undershot").isGreaterThan(1100);
        }
    }

    @Test
    void callsBucketLimitsPollsAndSubmitsTogether() throws InterruptedException {
        CallPacer pacer = pacer(300, 600, 3);
        List<Long> all = new ArrayList<>();
        List<Long> submitTimes = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 3000; i++) {
            if (random.nextInt(300) == 0) {
                clock.advance(Duration.ofMillis(random.nextInt(5000)));
            }
            if (random.nextBoolean()) {
                pacer.beforeSubmit();
                submitTimes.add(clock.nanos());
            } else {
                pacer.beforeCall();
            }
            all.add(clock.nanos());
        }
        assertThat(maxInWindow(all, MINUTE)).isLessThanOrEqualTo(600 + 3 - 1).isGreaterThan(550);
        assertThat(maxInWindow(submitTimes, MINUTE)).isLessThanOrEqualTo(300 + 3 - 1);
    }

    @Test
    void slowerCallsBucketSetsTheSubmissionPace() throws InterruptedException {
        List<Long> times = submits(pacer(1200, 600, 1), 30);

        for (int i = 0; i < times.size(); i++) {
            assertThat(times.get(i)).as("submission %d", i).isEqualTo(i * 100 * MS);
        }
        assertThat(clock.sleeps()).hasSize(29);
    }

    @Test
    void slowerSubmitBucketSetsTheSubmissionPaceButNotThePolls() throws InterruptedException {
        CallPacer pacer = pacer(600, 1200, 1);
        List<Long> times = submits(pacer, 10);
        assertThat(times.get(9) - times.get(8)).isEqualTo(100 * MS);

        long before = clock.nanos();
        for (int i = 0; i < 10; i++) {
            pacer.beforeCall();
        }
        assertThat(clock.nanos() - before).as("ten polls at 50 ms").isEqualTo(10 * 50 * MS);
    }

    @Test
    void unlimitedNeverWaits() throws InterruptedException {
        CallPacer pacer = new CallPacer(RateLimits.unlimited(), clock, clock, () -> 0.0);
        for (int i = 0; i < 1000; i++) {
            pacer.beforeSubmit();
            pacer.beforeCall();
        }
        assertThat(clock.nanos()).isZero();
        assertThat(clock.sleeps()).isEmpty();
    }
}
