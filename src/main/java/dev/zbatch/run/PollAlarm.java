package dev.zbatch.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Lets the collector sleep until its next row comes due, and wakes it sooner when a poll recorded meanwhile comes
 * due before that: a new submission's first poll, a webhook's news, a row its workers finished ({@link #dueAt}).
 */
public final class PollAlarm {

    private final Clock clock;
    /** The soonest poll announced since the last {@link #reset}, in {@link System#nanoTime()} terms. */
    private long soonestNanos = Long.MAX_VALUE;

    public PollAlarm(Clock clock) {
        this.clock = clock;
    }

    /** A row was just recorded with a poll due {@code at}. */
    public synchronized void dueAt(Instant at) {
        long nanos = System.nanoTime() + nanosUntil(at);
        if (nanos < soonestNanos) {
            soonestNanos = nanos;
            notifyAll();
        }
    }

    /** Forgets what was announced: call it just before reading the ledger, which then has all of it. */
    public synchronized void reset() {
        soonestNanos = Long.MAX_VALUE;
    }

    /** Sleeps for {@code longest}, or until a poll announced since the last {@link #reset} comes due if sooner. */
    public synchronized void sleep(Duration longest) throws InterruptedException {
        long until = System.nanoTime() + longest.toNanos();
        long left;
        while ((left = Math.min(until, soonestNanos) - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private long nanosUntil(Instant at) {
        Duration until = Duration.between(clock.instant(), at);
        return until.compareTo(Duration.ofDays(1)) > 0 ? Duration.ofDays(1).toNanos() : until.toNanos();
    }
}
