package dev.zbatch.ledger;

/** A PENDING row of the input, as the submit step reads it: its ledger number, position and request. */
public record PendingRow(long rowNo, long ordinal, String requestJson) {
}
