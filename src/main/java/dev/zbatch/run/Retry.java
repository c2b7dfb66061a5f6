package dev.zbatch.run;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter (a random wait between half and all of the step); a server's own wait (Retry-After) wins when it gives one.
 *
 * @param maxAttempts attempts before giving up
 * @param base        the first delay
 * @param cap         the longest delay
 */
public record Retry(int maxAttempts, Duration base, Duration cap) {

    public Duration delay(int attempt, Duration serverAsked) {
        if (serverAsked != null) return serverAsked;
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }
}
