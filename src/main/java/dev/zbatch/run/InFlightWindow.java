package dev.zbatch.run;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Bounds the requests submitted and not yet collected. The ledger's count of SUBMITTED rows is the truth;
 * submissions under way (sent, answer not yet recorded) are counted here so that concurrent senders cannot
 * overshoot together. The collector calls {@link #collected()} when a row leaves SUBMITTED.
 */
public final class InFlightWindow {

    private final int size;
    private final LongSupplier submittedInLedger;
    private int sending;
    private volatile long inFlightAtLastLook;
    /** Senders waiting for room now, since when, and how long in all some sender has waited. */
    private int waiting;
    private long waitingSince;
    private long waitedNanos;

    public InFlightWindow(int size, LongSupplier submittedInLedger) {
        if (size < 1) throw new IllegalArgumentException("zbatch.submit.window must be at least 1");
        this.size = size;
        this.submittedInLedger = submittedInLedger;
    }

    /**
     * Waits until there is room for one more request, then holds a place for it and returns true; returns false,
     * holding nothing, as soon as {@code giveUp} says so (the run is stopping).
     */
    public synchronized boolean acquire(BooleanSupplier giveUp) throws InterruptedException {
        if ((inFlightAtLastLook = submittedInLedger.getAsLong() + sending) >= size) {
            if (waiting++ == 0) waitingSince = System.nanoTime();
            try {
                while ((inFlightAtLastLook = submittedInLedger.getAsLong() + sending) >= size) {
                    if (giveUp.getAsBoolean()) return false;
                    wait(250); // the ledger count changes without this lock: look again now and then
                }
            } finally {
                if (--waiting == 0) waitedNanos += System.nanoTime() - waitingSince;
            }
        }
        sending++;
        return true;
    }

    public int size() {
        return size;
    }

    /** How long in all a request ready to go waited for room: while it did, the window set the pace. */
    public synchronized Duration fullFor() {
        return Duration.ofNanos(waitedNanos + (waiting > 0 ? System.nanoTime() - waitingSince : 0));
    }

    /**
     * At the last look (the latest {@link #acquire}), three quarters of the window or more were taken: rows should
     * be collected sooner, or submissions will soon wait for room.
     */
    public boolean nearlyFull() {
        return inFlightAtLastLook * 4 >= size * 3L;
    }

    /** The held place is given up: the request's answer is recorded (or it was never sent). */
    public synchronized void release() {
        sending--;
        notifyAll();
    }

    public synchronized void collected() {
        notifyAll();
    }
}
