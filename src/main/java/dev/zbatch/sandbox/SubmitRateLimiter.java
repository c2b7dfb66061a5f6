package dev.zbatch.sandbox;

import java.util.concurrent.TimeUnit;

/**
 * A token bucket for submissions: {@code capacity} tokens, refilled continuously at {@code perMinute} per minute.
 * A submission takes one token; without one it is refused and told how many whole seconds (rounded up, at least
 * 1) to wait for the next token. {@code perMinute = 0} means unlimited.
 */
final class SubmitRateLimiter {

    private final double capacity;
    private final double tokensPerNano;
    private final boolean unlimited;
    private double tokens;
    private long lastRefill;

    SubmitRateLimiter(int perMinute, int capacity) {
        this.unlimited = perMinute <= 0;
        this.capacity = Math.max(1, capacity);
        this.tokensPerNano = perMinute / (double) TimeUnit.MINUTES.toNanos(1);
        this.tokens = this.capacity;
        this.lastRefill = System.nanoTime();
    }

    /** Takes a token and returns 0, or returns the whole seconds until one is available (at least 1). */
    synchronized long tryAcquire() {
        if (unlimited) return 0;
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - lastRefill) * tokensPerNano);
        lastRefill = now;
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return 0;
        }
        double nanosToWait = (1.0 - tokens) / tokensPerNano;
        return Math.max(1, (long) Math.ceil(nanosToWait / TimeUnit.SECONDS.toNanos(1)));
    }
}
