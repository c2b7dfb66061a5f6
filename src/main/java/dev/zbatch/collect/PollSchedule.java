package dev.zbatch.collect;

import java.time.Duration;

/**
 * When to ask again about a request still pending: the first poll comes {@code first} after submitting (set by
 * the submitter); each later one waits {@code backoff} times longer than the one before, up to {@code max}.
 */
public record PollSchedule(Duration first, Duration max, double backoff) {

    /** The wait after the {@code polls}-th poll (1-based) found the request still pending. */
    public Duration after(int polls) {
        double millis = first.toMillis() * Math.pow(backoff, Math.max(0, polls));
        return Duration.ofMillis((long) Math.min(max.toMillis(), millis));
    }
}
