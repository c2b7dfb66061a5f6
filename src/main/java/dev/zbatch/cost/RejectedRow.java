package dev.zbatch.cost;

/**
 * A row the run would enter as REJECTED, and why.
 *
 * @param id    the row's id column, or null
 * @param field the field concerned, or null for the row as a whole
 */
public record RejectedRow(long line, String id, String field, String reason) {

    @Override
    public String toString() {
        return "line " + line + (field == null ? "" : ", field '" + field + "'") + ": " + reason;
    }
}
