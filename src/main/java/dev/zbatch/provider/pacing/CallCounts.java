package dev.zbatch.provider.pacing;

/**
 * What a {@link PacedProvider} has sent so far.
 *
 * @param submits      submissions sent (after their rate-limit wait)
 * @param polls        status calls sent
 * @param downloads    image downloads started (not paced)
 * @param rateLimited  answers of kind RATE_LIMITED (HTTP 429) from any of them
 */
public record CallCounts(long submits, long polls, long downloads, long rateLimited) {
}
