package dev.zbatch.run;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What the submit and collect sides of one run tell each other, and why a run ended early.
 * <ul>
 *   <li>{@link #stopSubmitting}: no more requests are sent (auth or credit errors, the budget); the collector
 *       still collects what is in flight;</li>
 *   <li>{@link #halt}: Ctrl-C or SIGTERM: everything stops now; what is in flight stays in the ledger for the
 *       next run to collect;</li>
 *   <li>{@link #budgetExhausted}: the budget cap is reached: the rows not yet sent are SKIPPED;</li>
 *   <li>{@link #submitFinished}: the submit side is done, for whatever reason; the collector ends once nothing
 *       is in flight.</li>
 * </ul>
 */
public final class RunControl {

    private final AtomicReference<StopReason> stopReason = new AtomicReference<>();
    private final AtomicReference<StopReason> budgetReason = new AtomicReference<>();
    private volatile boolean halted;
    private volatile boolean submitFinished;

    /** Stops sending; the first reason given is the one reported. */
    public void stopSubmitting(StopReason reason) {
        stopReason.compareAndSet(null, reason);
    }

    /** Stops everything as soon as possible. */
    public void halt(StopReason reason) {
        stopSubmitting(reason);
        halted = true;
    }

    public boolean submittingStopped() {
        return stopReason.get() != null;
    }

    public boolean halted() {
        return halted;
    }

    /** Why the run stopped early (or skipped rows for the budget), or null when it did not. */
    public StopReason stopReason() {
        StopReason stop = stopReason.get();
        return stop != null ? stop : budgetReason.get();
    }

    /**
     * The budget cap is reached: every row not yet sent is SKIPPED from now on (the input is still read to the
     * end, so that the manifest lists every row), and the run ends resumable.
     */
    public void budgetExhausted(StopReason reason) {
        budgetReason.compareAndSet(null, reason);
    }

    public boolean budgetExhausted() {
        return budgetReason.get() != null;
    }

    public void markSubmitFinished() {
        submitFinished = true;
    }

    public boolean submitFinished() {
        return submitFinished;
    }
}
