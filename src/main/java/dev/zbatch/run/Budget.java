package dev.zbatch.run;

import java.math.BigDecimal;

/**
 * The budget cap ({@code --max-cost}): a request is sent only if what the run has committed (spent, or sent and
 * perhaps charged) plus what is in flight plus this request stays within the cap. Each send reserves its cost
 * first; the reservation is settled to the provider's own figure, or given back when nothing was charged.
 */
public final class Budget {

    private final BigDecimal cap;
    private BigDecimal committed;

    /**
     * @param cap       null for no cap
     * @param committed what the ledger says the run has committed already
     */
    public Budget(BigDecimal cap, BigDecimal committed) {
        this.cap = cap;
        this.committed = committed;
    }

    /** Holds {@code cost} for a request about to be sent; false (holding nothing) when the cap does not allow it. */
    public synchronized boolean tryReserve(BigDecimal cost) {
        if (cap != null && committed.add(cost).compareTo(cap) > 0) return false;
        committed = committed.add(cost);
        return true;
    }

    /** The request was not sent, or not charged. */
    public synchronized void release(BigDecimal reserved) {
        committed = committed.subtract(reserved);
    }

    /** The provider said what the request cost. */
    public synchronized void settle(BigDecimal reserved, BigDecimal actual) {
        committed = committed.subtract(reserved).add(actual);
    }

    public BigDecimal cap() {
        return cap;
    }

    public synchronized BigDecimal committed() {
        return committed;
    }
}
