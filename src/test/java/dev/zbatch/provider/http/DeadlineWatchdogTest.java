package dev.zbatch.provider.http;

import org.apache.hc.core5.concurrent.Cancellable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlineWatchdogTest {

    private static final Duration TICK = Duration.ofMillis(50);

    private final DeadlineWatchdog watchdog = new DeadlineWatchdog("test-deadline", TICK);

    /** Counts down when cancelled. */
    private static final class Request implements Cancellable {
        final CountDownLatch cancelled = new CountDownLatch(1);

        @Override
        public boolean cancel() {
            cancelled.countDown();
            return true;
        }

        boolean isCancelled() {
            return cancelled.getCount() == 0;
        }
    }

    @Test
    void anExchangeStillUnderWayAtItsDeadlineIsCancelledWithinATick() throws Exception {
        Request request = new Request();
        long start = System.nanoTime();
        DeadlineWatchdog.Exchange exchange = watchdog.start(this, request, Duration.ofMillis(300));

        assertThat(request.cancelled.await(5, TimeUnit.SECONDS)).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofMillis(300).plus(TICK).plusSeconds(1));
        watchdog.done(exchange);
    }

    @Test
    void anExchangeDoneBeforeItsDeadlineIsLeftAlone() throws Exception {
        Request request = new Request();
        watchdog.done(watchdog.start(this, request, Duration.ofMillis(100)));
        Request other = new Request(); // keeps the watchdog ticking past the first one's deadline
        DeadlineWatchdog.Exchange otherExchange = watchdog.start(this, other, Duration.ofMillis(300));

        assertThat(other.cancelled.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(request.isCancelled()).isFalse();
        watchdog.done(otherExchange);
    }

    @Test
    void cancelAllCancelsOnlyItsOwnersExchanges() {
        Object client = new Object();
        Object otherClient = new Object();
        Request mine = new Request();
        Request theirs = new Request();
        DeadlineWatchdog.Exchange a = watchdog.start(client, mine, Duration.ofMinutes(1));
        DeadlineWatchdog.Exchange b = watchdog.start(otherClient, theirs, Duration.ofMinutes(1));

        watchdog.cancelAll(client);

        assertThat(mine.isCancelled()).isTrue();
        assertThat(theirs.isCancelled()).isFalse();
        watchdog.done(a);
        watchdog.done(b);
    }

    @Test
    void theThreadTicksOnlyWhileExchangesAreUnderWay() throws Exception {
        await(watchdog::isAsleep);

        DeadlineWatchdog.Exchange exchange = watchdog.start(this, new Request(), Duration.ofMinutes(1));
        await(() -> !watchdog.isAsleep());
        watchdog.done(exchange);
        await(watchdog::isAsleep);

        // woken again by the next exchange, however soon after
        Request late = new Request();
        DeadlineWatchdog.Exchange next = watchdog.start(this, late, Duration.ofMillis(100));
        assertThat(late.cancelled.await(5, TimeUnit.SECONDS)).isTrue();
        watchdog.done(next);
    }

    @Test
    void anExchangeStartedJustAsTheThreadFallsAsleepStillWakesIt() throws Exception {
        for (int round = 0; round < 20; round++) {
            await(watchdog::isAsleep);
            Thread noise = new Thread(() -> { // short exchanges around the moment the thread goes to sleep
                for (int i = 0; i < 200; i++) {
                    watchdog.done(watchdog.start(this, new Request(), Duration.ofMinutes(1)));
                }
            });
            noise.start();
            Request overdue = new Request();
            DeadlineWatchdog.Exchange exchange = watchdog.start(this, overdue, Duration.ZERO);
            noise.join();

            assertThat(overdue.cancelled.await(2, TimeUnit.SECONDS)).as("round %d", round).isTrue();
            watchdog.done(exchange);
        }
    }

    @Test
    void aFailingCancelDoesNotStopTheWatchdog() throws Exception {
        AtomicBoolean tried = new AtomicBoolean();
        DeadlineWatchdog.Exchange failing = watchdog.start(this, () -> {
            tried.set(true);
            throw new IllegalStateException("boom");
        }, Duration.ofMillis(50));
        Request request = new Request();
        DeadlineWatchdog.Exchange exchange = watchdog.start(this, request, Duration.ofMillis(400));

        assertThat(request.cancelled.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(tried).isTrue();
        watchdog.done(failing);
        watchdog.done(exchange);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
