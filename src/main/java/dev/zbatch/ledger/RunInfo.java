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
 */
public record RunInfo(long runId, String runKey, String jobName, String inputPath, String provider, String model,
                      OffsetDateTime createdAt, Long rowsRead, Long rowsTotal, OffsetDateTime startedAt,
                      OffsetDateTime heartbeatAt, OffsetDateTime endedAt, String outcome) {

    /** The input's row count when known, else null. */
    public Long inputRows() {
        return rowsRead != null ? rowsRead : rowsTotal;
    }
}
