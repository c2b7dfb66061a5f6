package dev.zbatch.ledger;

import java.math.BigDecimal;

/**
 * What one account of a run has done, from the ledger: its rows sent (the rows whose latest attempt went there),
 * completed, failed, in flight, and what they cost.
 */
public record AccountTally(String account, long sent, long completed, long failed, long inFlight, BigDecimal spent) {
}
