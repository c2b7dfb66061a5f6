package dev.zbatch.ledger;

/** A SUBMITTED row due for a poll: what the collector needs to ask about it and to name its images. */
public record InFlightRow(long rowNo, String fileStem, String requestId, String pollUrl, String resultUrl,
                          int polls) {
}
