package dev.zbatch.ledger;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A run's rows by state, its images and its spend, read in one go for a progress display.
 *
 * @param mismatched images that differ from what their request asked (kept, see {@link ImageRecord#mismatch})
 */
public record RunProgress(Map<RowState, Long> counts, long images, long mismatched, BigDecimal spent) {

    public long count(RowState state) {
        return counts.getOrDefault(state, 0L);
    }

    /** Rows entered in the ledger so far. */
    public long rows() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Rows that will not change again in this pass. */
    public long done() {
        return counts.entrySet().stream().filter(e -> e.getKey().terminal()).mapToLong(Map.Entry::getValue).sum();
    }

    public long inFlight() {
        return count(RowState.SUBMITTING) + count(RowState.SUBMITTED);
    }

    /** Rows that ended without images for a reason other than the budget. */
    public long failed() {
        return count(RowState.FAILED) + count(RowState.EXPIRED) + count(RowState.REJECTED) + count(RowState.UNKNOWN);
    }

    /** The same counts, images and spend (the spend compared by value, whatever its scale). */
    public boolean sameAs(RunProgress other) {
        return counts.equals(other.counts) && images == other.images && mismatched == other.mismatched
                && spent.compareTo(other.spent) == 0;
    }
}
