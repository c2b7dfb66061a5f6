package dev.zbatch.ledger;

/**
 * The life of one version of an input row. Every transition is a conditional update in {@link Ledger} (or, for
 * entering rows, {@link RowIntake}); a row whose request changes in the input gets a new version, and the old one
 * stays in whatever state it had (a request in flight is still collected, its images kept aside).
 * <pre>
 * (entered)  -> PENDING | REJECTED | DUPLICATE   (a reconciliation: a valid row, an invalid one, or the same
 *                                                fixed-seed request as an earlier row)
 * PENDING    -> SUBMITTING                      (just before its request is sent)
 * PENDING    -> SKIPPED                         (the budget cap was reached first)
 * SUBMITTING -> SUBMITTED                       (the provider accepted it: the request id is recorded)
 * SUBMITTING -> PENDING                         (the request certainly never reached the provider)
 * SUBMITTING -> REJECTED                        (the provider refused it as invalid)
 * SUBMITTING -> UNKNOWN                         (the process died, or the connection dropped, after it left)
 * SUBMITTED  -> COMPLETED | FAILED              (every image verified and on disk; or the provider failed it)
 * SUBMITTED  -> PENDING                         (failed at the provider uncharged, or expired: sent again)
 * SUBMITTED  -> FAILED | EXPIRED                (the same, after the last attempt)
 * DUPLICATE  -> COMPLETED | FAILED | SKIPPED    (its original's images copied; or its original has none)
 * SKIPPED    -> PENDING                         (each new run: the cap may have been raised)
 * FAILED | EXPIRED | UNKNOWN -> PENDING         (retry --failed / --expired / --unknown, or on-unknown=resubmit)
 * </pre>
 */
public enum RowState {
    PENDING, SUBMITTING, SUBMITTED, DUPLICATE, COMPLETED, FAILED, EXPIRED, REJECTED, SKIPPED, UNKNOWN;

    /** States a finished run may leave a row in. */
    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == EXPIRED || this == REJECTED || this == SKIPPED
                || this == UNKNOWN;
    }
}
