package dev.zbatch.provider.pacing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/** A clock for one thread: sleeping moves it forward at once. Records every sleep. */
final class FakeClock implements TimeSource, Sleeper {

    private long now;
    private final List<Long> sleeps = new ArrayList<>();
    private LongConsumer onSleep;

    @Override
    public synchronized long nanos() {
        return now;
    }

    @Override
    public void sleep(long nanos) {
        LongConsumer hook;
        synchronized (this) {
            sleeps.add(nanos);
            hook = onSleep;
        }
        if (hook != null) {
            hook.accept(nanos); // runs at the time the sleep starts, like another thread acting meanwhile
        }
        synchronized (this) {
            now += Math.max(0, nanos);
        }
    }

    synchronized void advance(Duration d) {
        now += d.toNanos();
    }

    synchronized List<Long> sleeps() {
        return List.copyOf(sleeps);
    }

    /** Called with the sleep's length at the start of every sleep. */
    synchronized void onSleep(LongConsumer hook) {
        this.onSleep = hook;
    }
}
