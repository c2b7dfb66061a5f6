package dev.zbatch.request;

import dev.zbatch.input.InputRow;

/**
 * One input row turned into what will be sent, or into the reason it will not be.
 *
 * @param row       the row as read
 * @param id        the row's id column, or null
 * @param prompt    the final prompt (may be null when it could not be built)
 * @param request   the canonical request, or null when rejected
 * @param rejection why the row is not sent, or null
 */
public record RowPlan(InputRow row, String id, String prompt, ImageRequest request, Rejection rejection) {

    public boolean rejected() {
        return rejection != null;
    }

    /** The id when the row has one, else its line number. */
    public String rowKey() {
        return id != null ? id : Long.toString(row.line());
    }
}
