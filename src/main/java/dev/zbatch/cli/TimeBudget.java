package dev.zbatch.cli;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Calls {@code onExpiry} once {@code budget} has passed, unless closed first. A null budget never expires. */
final class TimeBudget implements AutoCloseable {

    private final ScheduledExecutorService timer;

    private TimeBudget(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    static TimeBudget start(Duration budget, Runnable onExpiry) {
        if (budget == null) return new TimeBudget(null);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "zbatch-time-budget");
            t.setDaemon(true);
            return t;
        });
        timer.schedule(onExpiry, budget.toMillis(), TimeUnit.MILLISECONDS);
        return new TimeBudget(timer);
    }

    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
    }
}
