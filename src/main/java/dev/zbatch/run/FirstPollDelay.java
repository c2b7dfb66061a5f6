package dev.zbatch.run;

import java.time.Duration;

/**
 * When to poll a request for the first time, learned from the run's own first polls so that most requests are
 * already done when first asked (few calls per image) while none waits much longer than it must.
 * <p>
 * Observed completion times cannot be used directly: a completion is only ever seen at a poll, so they would
 * drift upward with the poll time itself. Instead the delay tracks a quantile {@code q} of the latency with the
 * outcome of each first poll (stochastic quantile tracking): found still pending → the delay grows by
 * {@code step}; found done → it shrinks by {@code step·(1−q)/q}. It settles where a fraction 1−q of first
 * polls find the request pending, i.e. at the latency's q-quantile.
 * <p>
 * Many requests are in flight at once, so outcomes arrive for delays set before the latest change. Only an
 * outcome that says something about the current delay is used: "pending" after a delay at least as long as the
 * current one, "done" after one at most as long. Without this the delay overshoots far past the quantile.
 * <p>
 * Two quantiles: a patient one for when waiting costs nothing, and a hurried one for outcomes seen while the
 * in-flight window is nearly full, where a later first poll would hold back submissions (each row stays in the
 * window until it is collected).
 */
public final class FirstPollDelay {

    /** Waits this close (relative) to the current delay count as equal to it. */
    private static final double SAME = 0.02;

    private final double quantile;
    private final double hurriedQuantile;
    private final double step;
    private final long minNanos;
    private final long maxNanos;
    private double nanos;

    /**
     * @param initial  the delay before anything is learned (zbatch.collect.first-poll-delay)
     * @param quantile the share of requests that should be done at their first poll, e.g. 0.99
     * @param step     relative growth after a first poll that found the request pending, e.g. 0.1
     * @param max      the longest first delay (zbatch.collect.max-poll-interval)
     */
    public FirstPollDelay(Duration initial, double quantile, double step, Duration max) {
        this(initial, quantile, quantile, step, max);
    }

    /** @param hurriedQuantile the quantile aimed at by outcomes {@linkplain #observe(Duration, boolean, boolean)
     *                         observed in a hurry} */
    public FirstPollDelay(Duration initial, double quantile, double hurriedQuantile, double step, Duration max) {
        if (quantile <= 0 || quantile >= 1 || hurriedQuantile <= 0 || hurriedQuantile >= 1) {
            throw new IllegalArgumentException("quantiles must be in (0, 1)");
        }
        this.quantile = quantile;
        this.hurriedQuantile = hurriedQuantile;
        this.step = step;
        this.minNanos = Duration.ofMillis(10).toNanos();
        this.maxNanos = Math.max(minNanos, max.toNanos());
        this.nanos = clamp(initial.toNanos());
    }

    /** A fixed delay that learns nothing. */
    public static FirstPollDelay fixed(Duration delay) {
        return new FirstPollDelay(delay, 0.5, 0, delay);
    }

    public synchronized Duration current() {
        return Duration.ofNanos((long) nanos);
    }

    /** The outcome of a request's first poll, made {@code after} it was submitted: was it done? */
    public void observe(Duration after, boolean done) {
        observe(after, done, false);
    }

    /** As {@link #observe(Duration, boolean)}; {@code hurried}: the in-flight window is nearly full. */
    public synchronized void observe(Duration after, boolean done, boolean hurried) {
        double waited = after.toNanos();
        double slack = nanos * SAME;          // the wait is measured between two clock readings
        if (done && waited > nanos + slack) return;   // done after a longer wait: says nothing of the current one
        if (!done && waited < nanos - slack) return;  // pending after a shorter wait: likewise
        double q = hurried ? hurriedQuantile : quantile;
        nanos = clamp(done ? nanos * (1 - step * (1 - q) / q) : nanos * (1 + step));
    }

    private double clamp(double value) {
        return Math.max(minNanos, Math.min(maxNanos, value));
    }
}
