package dev.zbatch.sandbox;

import tools.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Set;

import static dev.zbatch.sandbox.RequestFields.bool;
import static dev.zbatch.sandbox.RequestFields.integer;
import static dev.zbatch.sandbox.RequestFields.number;
import static dev.zbatch.sandbox.RequestFields.present;

/**
 * A validated Segmind Z-Image Turbo request body, defaults applied. Ranges and defaults are those Segmind documents
 * for the model, written here independently of the client's model spec so that the sandbox catches a client
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

    private static String format(JsonNode body) {
        JsonNode node = present(body, "image_format");
        if (node == null) return "webp";
        if (!node.isString()) throw new InvalidRequestException("image_format must be a string");
        String value = node.asString().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(value))
            throw new InvalidRequestException("image_format must be one of jpeg, png, webp (got " + node.asString() + ")");
        return value;
    }
}
