package dev.zbatch.ledger;

import java.time.OffsetDateTime;

/**
 * The run an output folder belongs to.
 *
 * @param rowsRead    the input's data rows, once the submit step has read it to the end; null before
 * @param rowsTotal   the input's data rows as counted when a process started on the run; null before
 * @param startedAt   when the latest process began working on the run
 * @param heartbeatAt renewed every few seconds while a process works on the run
 * @param endedAt     when that process ended; null while it works, or when it was killed
 * @param outcome     how it ended, in words
 * @param doneAtStart   the rows done when that process began; null before any did
 * @param imagesAtStart the images made when that process began; null before any did
 * @param lastReconciliation what the last complete reading of the input found; null before the first
 */
public record RunInfo(long runId, String runKey, String jobName, String inputPath, String provider, String model,
                      OffsetDateTime createdAt, Long rowsRead, Long rowsTotal, OffsetDateTime startedAt,
                      OffsetDateTime heartbeatAt, OffsetDateTime endedAt, String outcome, Long doneAtStart,
                      Long imagesAtStart, Reconciliation lastReconciliation) {

    /** What a reconciliation of the input with the ledger found (see the reconcile package). */
    public record Reconciliation(OffsetDateTime at, long added, long changed, long unchanged, long removed,
                                 long held) {

        /** Says that changes were found and not applied; null when there were none. */
        public String heldNote() {
            return held == 0 ? null : " (" + held + " changes held, not applied: they need --accept-changes)";
        }
    }

    /** The input's row count when known, else null. */
    public Long inputRows() {
        return rowsRead != null ? rowsRead : rowsTotal;
    }
}
