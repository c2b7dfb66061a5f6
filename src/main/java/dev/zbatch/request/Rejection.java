package dev.zbatch.request;

/** Why a row is not sent: the field concerned (null for the row as a whole) and a reason a person can act on. */
public record Rejection(String field, String reason) {

    @Override
    public String toString() {
        return field == null ? reason : "field '" + field + "': " + reason;
    }
}
