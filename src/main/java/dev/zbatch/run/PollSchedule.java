package dev.zbatch.run;

import java.time.Duration;

/**
 * When to ask about a submitted request: first after {@link FirstPollDelay} (learned, so that nearly every
 * request is done when first asked), then, while it is still pending, after {@code interval}, each wait
 * {@code backoff} times longer than the one before, up to {@code max}.
 */
public final class PollSchedule {

    private final FirstPollDelay first;
    private final Duration interval;
    private final Duration max;
    private final double backoff;

    public PollSchedule(FirstPollDelay first, Duration interval, Duration max, double backoff) {
        this.first = first;
        this.interval = interval;
        this.max = max;
        this.backoff = backoff;
    }

    /** The wait between submitting and the first poll. */
    public Duration firstDelay() {
        return first.current();
    }

    /** The wait after the {@code polls}-th poll (1-based) found the request still pending. */
    public Duration after(int polls) {
        double millis = interval.toMillis() * Math.pow(backoff, Math.max(0, polls - 1));
        return Duration.ofMillis((long) Math.min(max.toMillis(), millis));
    }

    /**
     * What the first poll of a request, made {@code after} it was submitted, found: for learning. {@code hurried}:
     * the in-flight window is nearly full, so rows should leave it sooner.
     */
    public void firstPollFound(Duration after, boolean done, boolean hurried) {
        first.observe(after, done, hurried);
    }

    public Duration max() {
        return max;
    }
}
