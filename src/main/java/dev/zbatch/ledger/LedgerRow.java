package dev.zbatch.ledger;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One row of the ledger as read back, with its images (empty unless COMPLETED).
 *
 * @param rowNo       the ledger's number for this version of the row (never reused)
 * @param key         the row's identity: its id, else a fingerprint of its content
 * @param ordinal     its position among the input's data rows, as last read
 * @param replaces    the earlier version of this row that this one replaced (its request changed), or null
 * @param duplicateOf the position in the input of the row whose request this one repeats (its images are copies
 *                    of that row's), or null
 * @param cachedFrom  the run whose images this row was given from the content cache (nothing sent), or null
 */
public record LedgerRow(
        long rowNo,
        String key,
        long ordinal,
        Long replaces,
        long line,
        String rowId,
        String fileStem,
        String prompt,
        String requestJson,
        RowState state,
        String provider,
        String account,
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
        Long duplicateOf,
        String cachedFrom,
        List<ImageRecord> images) {

    /** The id when the row has one, else its line number. */
    public String displayId() {
        return displayId(rowId, line);
    }

    static String displayId(String rowId, long line) {
        return rowId != null ? rowId : Long.toString(line);
    }
}
