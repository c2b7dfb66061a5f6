package dev.zbatch.sandbox;

import dev.zbatch.sandbox.SegmindSubmitRequest.InvalidRequestException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the sandbox's request bodies field by field, as a strict provider would: an absent or null field takes
 * its default; a field of the wrong type or out of range is an {@link InvalidRequestException} naming it.
 */
final class RequestFields {

    private RequestFields() {
    }

    static JsonNode present(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node;
    }

    static String string(JsonNode body, String field, String fallback) {
        JsonNode node = present(body, field);
        if (node == null) return fallback;
        if (!node.isString()) throw new InvalidRequestException(field + " must be a string");
        return node.asString();
    }

    static long integer(JsonNode body, String field, long fallback, long min, long max) {
        JsonNode node = present(body, field);
        if (node == null) return fallback;
        if (!node.isNumber() || !node.canConvertToExactIntegral() || !node.canConvertToLong())
            throw new InvalidRequestException(field + " must be an integer");
        long value = node.asLong();
        if (value < min || value > max)
            throw new InvalidRequestException(field + " must be between " + min + " and " + max + " (got " + value + ")");
        return value;
    }

    static double number(JsonNode body, String field, double fallback, double min, double max) {
        JsonNode node = present(body, field);
        if (node == null) return fallback;
        if (!node.isNumber()) throw new InvalidRequestException(field + " must be a number");
        double value = node.asDouble();
        if (!(value >= min && value <= max))
            throw new InvalidRequestException(field + " must be between " + trim(min) + " and " + trim(max)
                    + " (got " + node.asString() + ")");
        return value;
    }

    static boolean bool(JsonNode body, String field, boolean fallback) {
        JsonNode node = present(body, field);
        if (node == null) return fallback;
        if (!node.isBoolean()) throw new InvalidRequestException(field + " must be true or false");
        return node.asBoolean();
    }

    static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
