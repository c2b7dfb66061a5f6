package dev.zbatch.ledger;

import java.time.Duration;

/**
 * A SUBMITTED row due for a poll: what the collector needs to ask about it, to name its images and to describe
 * them, so that collecting it reads nothing more from the ledger.
 *
 * @param rowKey         the row's id column, else its line number (as the manifest shows it)
 * @param sinceSubmitted how long after submitting this poll was scheduled
 */
public record InFlightRow(long rowNo, String rowKey, String fileStem, String requestJson, String provider,
                          String model, String requestId, String pollUrl, String resultUrl, int polls,
                          Duration sinceSubmitted) {
}
