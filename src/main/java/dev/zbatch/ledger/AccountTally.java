package dev.zbatch.ledger;

import java.math.BigDecimal;

/**
 * What one account of a run has done, from the ledger: its rows sent (the rows whose latest attempt went there),
 * completed, failed, in flight, and what they cost; and of those, how many it accepted since a moment (the current
 * process's start, for its rate).
 */
public record AccountTally(String account, long sent, long completed, long failed, long inFlight, BigDecimal spent,
                           long acceptedSince) {

    /** Requests it accepted per minute over {@code elapsed}; 0 for none. */
    public double perMinute(java.time.Duration elapsed) {
        return elapsed.isZero() || elapsed.isNegative() ? 0 : acceptedSince * 60_000.0 / elapsed.toMillis();
    }
}
