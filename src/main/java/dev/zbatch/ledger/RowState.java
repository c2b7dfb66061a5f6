package dev.zbatch.ledger;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of one version of an input row. Every transition is a conditional update in {@link Ledger} (or, for
 * entering rows, {@link RowIntake}); a row whose request changes in the input gets a new version, and the old one
 * stays in whatever state it had (a request in flight is still collected, its images kept aside).
 * <pre>
 * (entered)  -> PENDING | REJECTED | DUPLICATE   (a reconciliation: a valid row, an invalid one, or the same
 *                                                fixed-seed request as an earlier row)
 * PENDING    -> SUBMITTING                      (just before its request is sent)
 * PENDING    -> SKIPPED                         (the budget cap was reached first)
 * PENDING    -> COMPLETED                       (its request's images were in the content cache: nothing sent)
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

    /** The transitions above, as {@link Ledger} enforces them: from each state, where a row may go. */
    private static final Map<RowState, Set<RowState>> NEXT = new EnumMap<>(RowState.class);

    static {
        NEXT.put(PENDING, EnumSet.of(SUBMITTING, SKIPPED, COMPLETED));
        NEXT.put(SUBMITTING, EnumSet.of(SUBMITTED, PENDING, REJECTED, UNKNOWN));
        NEXT.put(SUBMITTED, EnumSet.of(COMPLETED, FAILED, PENDING, EXPIRED));
        NEXT.put(DUPLICATE, EnumSet.of(COMPLETED, FAILED, SKIPPED));
        NEXT.put(SKIPPED, EnumSet.of(PENDING));
        NEXT.put(FAILED, EnumSet.of(PENDING));
        NEXT.put(EXPIRED, EnumSet.of(PENDING));
        NEXT.put(UNKNOWN, EnumSet.of(PENDING));
        NEXT.put(COMPLETED, EnumSet.noneOf(RowState.class));
        NEXT.put(REJECTED, EnumSet.noneOf(RowState.class));
    }

    /** True when a row in this state may move to {@code next}. */
    public boolean canMoveTo(RowState next) {
        return NEXT.get(this).contains(next);
    }

    /** States a finished run may leave a row in. */
    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == EXPIRED || this == REJECTED || this == SKIPPED
                || this == UNKNOWN;
    }
}
