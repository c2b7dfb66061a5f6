package dev.zbatch.provider.pacing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Real threads, real time: 8 threads share 20 submissions at 600/min (about 2 s). */
class CallPacerThreadsTest {

    @Test
    void eightThreadsNeverGoFasterThanTheRate() throws Exception {
        // the pacer reads the clock under its lock when it lets a call through; that reading is the token's time
        ThreadLocal<Long> lastRead = new ThreadLocal<>();
        TimeSource recording = () -> {
            long now = System.nanoTime();
            lastRead.set(now);
            return now;
        };
        CallPacer pacer = new CallPacer(new RateLimits(600, 0, 1), recording, Sleeper.SYSTEM);
        List<Long> tokens = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger remaining = new AtomicInteger(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    while (remaining.getAndDecrement() > 0) {
                        pacer.beforeSubmit();
                        tokens.add(lastRead.get());
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }

        assertThat(errors).isEmpty();
        assertThat(tokens).hasSize(20);
        List<Long> sorted = new ArrayList<>(tokens);
        Collections.sort(sorted);
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(sorted.get(i) - sorted.get(i - 1)).as("gap before token %d", i)
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(95));
        }
    }
}
