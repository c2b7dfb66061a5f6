package dev.zbatch.provider.pacing;

/** A monotonic clock in nanoseconds (only differences mean anything), injectable for tests. */
@FunctionalInterface
public interface TimeSource {

    TimeSource SYSTEM = System::nanoTime;

    long nanos();
}
