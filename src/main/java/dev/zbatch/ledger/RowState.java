package dev.zbatch.ledger;

/**
 * The life of one input row (DESIGN.md):
 * <pre>
 * PENDING -> SUBMITTING -> SUBMITTED -> COMPLETED | FAILED | EXPIRED
 * PENDING -> REJECTED | SKIPPED
 * SUBMITTING -> UNKNOWN   (the process died, or the connection dropped, after the request left)
 * DUPLICATE -> COMPLETED | FAILED   (the same request, with a fixed seed, as an earlier row: its images are copied)
 * SKIPPED -> PENDING      (a new pass, after the budget was raised)
 * </pre>
 * Every transition is a method of {@link Ledger}.
 */
public enum RowState {
    PENDING, SUBMITTING, SUBMITTED, DUPLICATE, COMPLETED, FAILED, EXPIRED, REJECTED, SKIPPED, UNKNOWN;

    /** States a finished run may leave a row in. */
    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == EXPIRED || this == REJECTED || this == SKIPPED
                || this == UNKNOWN;
    }
}
