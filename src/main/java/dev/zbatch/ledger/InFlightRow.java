package dev.zbatch.ledger;

/** A SUBMITTED row due for a poll: what the collector needs to ask about it and to store its images. */
public record InFlightRow(long rowNo, String fileStem, String requestJson, String requestId, String pollUrl,
                          String resultUrl, int polls) {
}
