package dev.zbatch.ledger;

import java.time.Instant;
import java.util.List;

/**
 * What {@link Ledger#duePolls} found: the rows due now, and when the first row it did not list comes due (already,
 * when the limit cut the list short; null when no other row is in flight).
 */
public record DueRows(List<InFlightRow> rows, Instant next) {
}
