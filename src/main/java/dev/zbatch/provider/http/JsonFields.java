package dev.zbatch.provider.http;

import tools.jackson.databind.JsonNode;

import java.util.Locale;

/** Reading fields out of a provider's JSON answers. */
public final class JsonFields {

    private JsonFields() {
    }

    /** A string field, stripped, or a number rendered as text; null when absent or blank. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isString() && !v.asString().isBlank()) {
            return v.asString().strip();
        }
        if (v.isNumber()) {
            return v.asString();
        }
        return null;
    }

    /** The {@code status} word, upper-cased; null when absent. */
    public static String status(JsonNode node) {
        String s = text(node, "status");
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    /** A whole number that fits a long, or a string holding one; else null (e.g. a seed). */
    public static Long longValue(JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.asLong();
        }
        if (v.isString()) {
            try {
                return Long.parseLong(v.asString().strip());
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
    }

    /** The keys of a body, for messages. */
    public static String keys(JsonNode node) {
        return node.isObject() ? String.join(", ", node.propertyNames()) : "(not an object)";
    }
}
