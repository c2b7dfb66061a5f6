package dev.zbatch.ledger;

import java.time.Duration;

/**
 * A SUBMITTED row due for a poll: what the collector needs to ask about it, to name its images and to describe
 * them, so that collecting it reads nothing more from the ledger.
 *
 * @param key            the row's key in the ledger
 * @param displayId      the row's id column, else its line number (as the manifest shows it)
 * @param sinceSubmitted how long after submitting this poll was scheduled
 * @param superseded     the row's request has changed since this one was sent: its images are kept aside, and
 *                       the row's new version takes its file names
 * @param account        the account it was sent to (null for a row sent before accounts were recorded)
 */
public record InFlightRow(long rowNo, String key, String displayId, String fileStem, String requestJson,
                          String provider, String model, String requestId, String pollUrl, String resultUrl,
                          int polls, Duration sinceSubmitted, boolean superseded,
                          String account) {
}
