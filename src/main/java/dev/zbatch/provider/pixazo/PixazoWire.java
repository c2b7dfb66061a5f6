package dev.zbatch.provider.pixazo;

import dev.zbatch.request.ImageRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Pixazo's JSON: the submit body and what is read out of status bodies (polled or delivered). No I/O here. */
final class PixazoWire {

    /**
     * Body fields zbatch sets itself (for some model or row); an extra with one of these names is refused: it would
     * bypass validation, or give a model a parameter its specification says it does not take.
     */
    static final Set<String> CANONICAL_FIELDS = Set.of(
            "prompt", "image_size", "num_inference_steps", "num_images", "output_format", "guidance_scale",
            "enable_safety_checker", "acceleration", "seed");

    /** Still waiting. Pixazo's own words, and fal's (which Pixazo very likely proxies). */
    static final Set<String> PENDING = Set.of("QUEUED", "PROCESSING", "IN_QUEUE", "IN_PROGRESS");
    static final String COMPLETED = "COMPLETED";
    static final String FAILED = "FAILED";
    /** A system error Pixazo does not charge: may be resubmitted. */
    static final String ERROR = "ERROR";
    static final Set<String> TERMINAL = Set.of(COMPLETED, FAILED, ERROR);

    /** JSON number grammar: "0123" stays a string (leading zeros), so do "NaN" and "1e". */
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");

    private final ObjectMapper json;

    PixazoWire(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The submit body: prompt, image_size, num_inference_steps, num_images, output_format; guidance_scale for
     * Z-Image Base only; enable_safety_checker, acceleration and seed only when the request sets them; then every
     * extra.
     *
     * @throws IllegalArgumentException when an extra would overwrite a field zbatch sets, or image_size is missing
     */
    byte[] submitBody(String model, ImageRequest r) {
        if (r.imageSize() == null || r.imageSize().isBlank()) {
            throw new IllegalArgumentException("image_size is required by Pixazo and the request has none");
        }
        ObjectNode body = json.createObjectNode();
        body.put("prompt", r.prompt());
        body.put("image_size", r.imageSize());
        body.put("num_inference_steps", r.steps());
        body.put("num_images", r.numImages());
        body.put("output_format", r.imageFormat());
        if (PixazoModels.Z_IMAGE_BASE.equals(model)) {
            putNumber(body, "guidance_scale", r.guidanceScale());
        }
        if (r.safetyChecker() != null) {
            body.put("enable_safety_checker", r.safetyChecker().booleanValue());
        }
        if (r.acceleration() != null) {
            body.put("acceleration", r.acceleration());
        }
        if (r.seed() >= 0) {
            body.put("seed", r.seed());
        }
        for (Map.Entry<String, String> e : r.extras().entrySet()) {
            if (CANONICAL_FIELDS.contains(e.getKey())) {
                throw new IllegalArgumentException("extra parameter '" + e.getKey()
                        + "' would overwrite a field zbatch sets itself; use the canonical parameter instead");
            }
            putExtra(body, e.getKey(), e.getValue());
        }
        return json.writeValueAsBytes(body);
    }

    /** A whole number is written without a fraction (4, not 4.0). */
    private static void putNumber(ObjectNode body, String name, double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            body.put(name, (long) value);
        } else {
            body.put(name, value);
        }
    }

    /** "true"/"false" as booleans, numbers as JSON numbers, anything else as a string. */
    static void putExtra(ObjectNode body, String name, String value) {
        if (value == null) {
            body.putNull(name);
        } else if (value.equals("true") || value.equals("false")) {
            body.put(name, Boolean.parseBoolean(value));
        } else if (JSON_NUMBER.matcher(value).matches()) {
            if (value.indexOf('.') < 0 && value.indexOf('e') < 0 && value.indexOf('E') < 0) {
                body.put(name, new BigInteger(value));
            } else {
                body.put(name, new BigDecimal(value));
            }
        } else {
            body.put(name, value);
        }
    }

    /** A string field, or a number rendered as text; null when absent or blank. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isString() && !v.asString().isBlank()) {
            return v.asString().strip();
        }
        if (v.isNumber()) {
            return v.asString();
        }
        return null;
    }

    /** The status word, upper-cased; null when absent. */
    static String status(JsonNode node) {
        String s = text(node, "status");
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    /** The seed Pixazo reports ({@code seed}, else {@code output.seed}; a number or numeric string), or null. */
    static Long seed(JsonNode node) {
        Long top = seedOf(node.path("seed"));
        return top != null ? top : seedOf(node.path("output").path("seed"));
    }

    private static Long seedOf(JsonNode v) {
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

    /**
     * {@code output.media_url}, as written (maybe relative): a list of URLs, or one URL. Blank entries are skipped;
     * non-string entries too.
     */
    static List<String> mediaUrls(JsonNode node) {
        JsonNode v = node.path("output").path("media_url");
        List<String> out = new ArrayList<>();
        if (v.isString()) {
            add(out, v.asString());
        } else if (v.isArray()) {
            for (JsonNode item : v) {
                if (item.isString()) {
                    add(out, item.asString());
                }
            }
        }
        return out;
    }

    private static void add(List<String> out, String url) {
        if (!url.isBlank()) {
            out.add(url.strip());
        }
    }

    /** The {@code error} text of a status body, or null. */
    static String error(JsonNode node) {
        return PixazoErrors.messageOf(node);
    }

    /** The keys of a body and of its {@code output}, for messages. */
    static String keys(JsonNode node) {
        if (!node.isObject()) {
            return "(not an object)";
        }
        String keys = String.join(", ", node.propertyNames());
        JsonNode output = node.path("output");
        if (output.isObject()) {
            keys += "; output: " + (output.isEmpty() ? "(empty)" : String.join(", ", output.propertyNames()));
        }
        return keys;
    }
}
