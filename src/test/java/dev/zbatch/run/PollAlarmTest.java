package dev.zbatch.run;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PollAlarmTest {

    private final Clock clock = Clock.systemUTC();
    private final PollAlarm alarm = new PollAlarm(clock);

    @Test
    void aSubmissionDueSoonerWakesTheSleeperThen() throws Exception {
        alarm.reset();
        CompletableFuture.runAsync(() -> alarm.dueAt(clock.instant().plusMillis(100)),
                CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));

        long slept = timed(() -> alarm.sleep(Duration.ofSeconds(10)));

        assertThat(slept).isBetween(100L, 5_000L);
    }

    @Test
    void aPollDueLaterThanTheSleepDoesNotLengthenIt() throws Exception {
        alarm.reset();
        alarm.dueAt(clock.instant().plusSeconds(60));

        assertThat(timed(() -> alarm.sleep(Duration.ofMillis(200)))).isBetween(200L, 5_000L);
    }

    @Test
    void whatWasAnnouncedBeforeTheResetIsForgotten() throws Exception {
        alarm.dueAt(clock.instant());
        assertThat(timed(() -> alarm.sleep(Duration.ofSeconds(10)))).as("due already: no sleep").isLessThan(5_000L);

        alarm.reset(); // the ledger read that follows sees that row

        assertThat(timed(() -> alarm.sleep(Duration.ofMillis(300)))).isGreaterThanOrEqualTo(300L);
    }

    private interface Sleep {
        void run() throws InterruptedException;
    }

    private static long timed(Sleep sleep) throws InterruptedException {
        long start = System.nanoTime();
        sleep.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
