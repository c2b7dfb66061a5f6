package dev.zbatch.ledger;

import java.time.OffsetDateTime;

/** The run an output folder belongs to. {@code rowsRead} is null until the whole input has been read. */
public record RunInfo(long runId, String runKey, String jobName, String inputPath, String provider, String model,
                      OffsetDateTime createdAt, Long rowsRead) {
}
