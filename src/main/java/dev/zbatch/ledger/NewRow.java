package dev.zbatch.ledger;

/**
 * An input row to enter into the ledger, PENDING (it will be sent) or REJECTED (it never will be).
 *
 * @param stemCandidate the wished-for image file name stem (already sanitised); the ledger resolves collisions
 * @param fixedSeed     the request fixes its seed, so an identical earlier request gives identical images
 * @param images        how many image files the row will write
 */
public record NewRow(
        long rowNo,
        long line,
        String rowId,
        String stemCandidate,
        String prompt,
        String requestJson,
        String requestHash,
        RowState state,
        String errorField,
        String error,
        boolean fixedSeed,
        int images) {

    public static NewRow pending(long rowNo, long line, String rowId, String stem, String prompt, String json,
                                 String hash, boolean fixedSeed, int images) {
        return new NewRow(rowNo, line, rowId, stem, prompt, json, hash, RowState.PENDING, null, null, fixedSeed,
                images);
    }

    public static NewRow rejected(long rowNo, long line, String rowId, String prompt, String field, String reason) {
        return new NewRow(rowNo, line, rowId, null, prompt, null, null, RowState.REJECTED, field, reason, false, 0);
    }
}
