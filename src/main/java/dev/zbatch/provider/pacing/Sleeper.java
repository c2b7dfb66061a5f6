package dev.zbatch.provider.pacing;

import java.util.concurrent.TimeUnit;

/** Sleeps the calling thread, injectable for tests. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = TimeUnit.NANOSECONDS::sleep;

    /** Sleeps for {@code nanos} (nothing when not positive). */
    void sleep(long nanos) throws InterruptedException;
}
