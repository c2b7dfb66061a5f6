package dev.zbatch.ledger;

/**
 * An input row as a reconciliation enters it into the ledger: PENDING (it will be sent) or REJECTED (it never
 * will be).
 *
 * @param key           the row's identity (its id, else a fingerprint of its content)
 * @param ordinal       its position among the input's data rows, 1-based
 * @param stemCandidate the wished-for image file name stem (already sanitised); the ledger resolves collisions
 * @param fixedSeed     the request fixes its seed, so an identical earlier request gives identical images
 * @param images        how many image files the row will write
 */
public record NewRow(
        String key,
        long ordinal,
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

    public static NewRow pending(String key, long ordinal, long line, String rowId, String stem, String prompt,
                                 String json, String hash, boolean fixedSeed, int images) {
        return new NewRow(key, ordinal, line, rowId, stem, prompt, json, hash, RowState.PENDING, null, null,
                fixedSeed, images);
    }

    public static NewRow rejected(String key, long ordinal, long line, String rowId, String prompt, String field,
                                  String reason) {
        return new NewRow(key, ordinal, line, rowId, null, prompt, null, null, RowState.REJECTED, field, reason,
                false, 0);
    }

    public boolean rejected() {
        return state == RowState.REJECTED;
    }

    /** The same row under another key (a repeat of an id or of identical content). */
    public NewRow withKey(String otherKey) {
        return new NewRow(otherKey, ordinal, line, rowId, stemCandidate, prompt, requestJson, requestHash, state,
                errorField, error, fixedSeed, images);
    }

    /** The same row, refused for {@code reason} (its key stays). */
    public NewRow refused(String field, String reason) {
        return rejected(key, ordinal, line, rowId, prompt, field, reason);
    }
}
