package dev.zbatch.provider.sandbox;

import tools.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Set;

/**
 * A validated Segmind Z-Image Turbo request body, defaults applied. Ranges and defaults are those of PROVIDERS.md
 * (Segmind section), written here independently of the client's model spec so that the sandbox catches a client
 * that sends what the real API would refuse. Unknown fields are ignored; JSON null counts as absent.
 */
record SegmindSubmitRequest(
        String prompt,
        int steps,
        double guidanceScale,
        long seed,
        int width,
        int height,
        String imageFormat,
        int quality,
        boolean base64) {

    static final Set<String> FORMATS = Set.of("jpeg", "png", "webp");

    /** Thrown for a body the real API would answer with 400. */
    static final class InvalidRequestException extends RuntimeException {
        InvalidRequestException(String message) {
            super(message);
        }
    }

    static SegmindSubmitRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) throw new InvalidRequestException("Request body must be a JSON object");
        JsonNode promptNode = present(body, "prompt");
        if (promptNode == null) throw new InvalidRequestException("prompt is required");
        if (!promptNode.isString()) throw new InvalidRequestException("prompt must be a string");
        String prompt = promptNode.asString();
        if (prompt.isBlank()) throw new InvalidRequestException("prompt must not be empty");

        int steps = (int) integer(body, "steps", 8, 1, 75);
        double guidance = number(body, "guidance_scale", 1.0, 0.0, 15.0);
        long seed = integer(body, "seed", -1, -1, 92_147_483_647L);
        int width = (int) integer(body, "width", 1024, 256, 2048);
        int height = (int) integer(body, "height", 1024, 256, 2048);
        String format = format(body);
        int quality = (int) integer(body, "quality", 90, 1, 100);
        boolean base64 = bool(body, "base_64", false);
        return new SegmindSubmitRequest(prompt, steps, guidance, seed, width, height, format, quality, base64);
    }

    private static JsonNode present(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node;
    }

    private static long integer(JsonNode body, String field, long fallback, long min, long max) {
        JsonNode node = present(body, field);
        if (node == null) return fallback;
        if (!node.isNumber() || !node.canConvertToExactIntegral() || !node.canConvertToLong())
            throw new InvalidRequestException(field + " must be an integer");
        long value = node.asLong();
        if (value < min || value > max)
            throw new InvalidRequestException(field + " must be between " + min + " and " + max + " (got " + value + ")");
        return value;
    }

    private static double number(JsonNode body, String field, double fallback, double min, double max) {
        JsonNode node = present(body, field);
        if (node == null) return fallback;
        if (!node.isNumber()) throw new InvalidRequestException(field + " must be a number");
        double value = node.asDouble();
        if (!(value >= min && value <= max))
            throw new InvalidRequestException(field + " must be between " + trim(min) + " and " + trim(max)
                    + " (got " + node.asString() + ")");
        return value;
    }

    private static String format(JsonNode body) {
        JsonNode node = present(body, "image_format");
        if (node == null) return "webp";
        if (!node.isString()) throw new InvalidRequestException("image_format must be a string");
        String value = node.asString().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(value))
            throw new InvalidRequestException("image_format must be one of jpeg, png, webp (got " + node.asString() + ")");
        return value;
    }

    private static boolean bool(JsonNode body, String field, boolean fallback) {
        JsonNode node = present(body, field);
        if (node == null) return fallback;
        if (!node.isBoolean()) throw new InvalidRequestException(field + " must be true or false");
        return node.asBoolean();
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
