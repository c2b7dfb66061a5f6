package dev.zbatch.provider.pacing;

/**
 * The limits one run may send at, per provider account.
 *
 * @param submitsPerMinute submissions per minute; 0 = no limit of their own
 * @param callsPerMinute   all API calls per minute, submissions included (polls too); 0 = no limit
 * @param burst            how many calls may go at once after a quiet spell (the buckets' capacity), at least 1.
 *                         Over any 60 s window at most {@code rate + burst - 1} calls are sent.
 */
public record RateLimits(int submitsPerMinute, int callsPerMinute, int burst) {

    public RateLimits {
        if (submitsPerMinute < 0) {
            throw new IllegalArgumentException("submitsPerMinute must be 0 (no limit) or more, was " + submitsPerMinute);
        }
        if (callsPerMinute < 0) {
            throw new IllegalArgumentException("callsPerMinute must be 0 (no limit) or more, was " + callsPerMinute);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, was " + burst);
        }
    }

    /** No limit at all (the pacer still honours 429 pauses). */
    public static RateLimits unlimited() {
        return new RateLimits(0, 0, 1);
    }

    public boolean limitsSubmits() {
        return submitsPerMinute > 0;
    }

    public boolean limitsCalls() {
        return callsPerMinute > 0;
    }
}
