package dev.zbatch.ledger;

import java.time.Duration;

/**
 * A SUBMITTED row due for a poll: what the collector needs to ask about it and to name its images.
 *
 * @param sinceSubmitted how long after submitting this poll was scheduled
 */
public record InFlightRow(long rowNo, String fileStem, String requestId, String pollUrl, String resultUrl,
                          int polls, Duration sinceSubmitted) {
}
