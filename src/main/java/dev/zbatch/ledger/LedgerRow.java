package dev.zbatch.ledger;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/** One row of the ledger as read back, with its images (empty unless COMPLETED). */
public record LedgerRow(
        long rowNo,
        long line,
        String rowId,
        String fileStem,
        String prompt,
        String requestJson,
        RowState state,
        String provider,
        String model,
        String requestId,
        String pollUrl,
        String resultUrl,
        int attempts,
        int polls,
        Long seed,
        BigDecimal costUsd,
        String errorField,
        String error,
        OffsetDateTime submittedAt,
        OffsetDateTime finishedAt,
        List<ImageRecord> images) {

    /** The id when the row has one, else its line number. */
    public String rowKey() {
        return rowId != null ? rowId : Long.toString(line);
    }
}
