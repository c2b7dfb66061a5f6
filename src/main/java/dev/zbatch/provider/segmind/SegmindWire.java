package dev.zbatch.provider.segmind;

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

/** Segmind's JSON: the submit body and what is read out of status and result bodies. No I/O here. */
final class SegmindWire {

    /** Body fields zbatch sets itself; an extra with one of these names is refused (it would bypass validation). */
    static final Set<String> CANONICAL_FIELDS = Set.of(
            "prompt", "steps", "guidance_scale", "seed", "width", "height", "image_format", "quality", "base_64");

    static final Set<String> PENDING = Set.of(
            "QUEUED", "PROCESSING", "IN_QUEUE", "IN_PROGRESS", "PENDING", "STARTING", "RUNNING");
    static final Set<String> FAILED = Set.of("FAILED", "ERROR", "CANCELLED", "CANCELED");
    static final Set<String> COMPLETED = Set.of("COMPLETED", "SUCCEEDED", "SUCCESS");

    /** Where an image URL may be, in order of preference; values: a URL, a list of URLs, or objects with a url. */
    static final List<String> OUTPUT_KEYS = List.of("output", "output_url", "image", "images");
    private static final List<String> NESTED_URL_KEYS =
            List.of("url", "media_url", "image_url", "output_url", "output", "image", "images");

    /** JSON number grammar: "0123" stays a string (leading zeros), so do "NaN" and "1e". */
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");

    private final ObjectMapper json;

    SegmindWire(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The async v2 submit body: the canonical fields under Segmind's names, base_64 false, then every extra.
     *
     * @throws IllegalArgumentException when an extra would overwrite a canonical field
     */
    byte[] submitBody(ImageRequest r) {
        ObjectNode body = json.createObjectNode();
        body.put("prompt", r.prompt());
        body.put("steps", r.steps());
        body.put("guidance_scale", r.guidanceScale());
        body.put("seed", r.seed());
        body.put("width", r.width());
        body.put("height", r.height());
        body.put("image_format", r.imageFormat());
        body.put("quality", r.quality());
        body.put("base_64", false);
        for (Map.Entry<String, String> e : r.extras().entrySet()) {
            if (CANONICAL_FIELDS.contains(e.getKey())) {
                throw new IllegalArgumentException("extra parameter '" + e.getKey()
                        + "' would overwrite a field zbatch sets itself; use the canonical parameter instead");
            }
            putExtra(body, e.getKey(), e.getValue());
        }
        return json.writeValueAsBytes(body);
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

    /** The seed the provider reports (number or numeric string), or null. */
    static Long seed(JsonNode node) {
        JsonNode v = node.path("seed");
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
     * The image URLs in a status or result body, as written (maybe relative): the first of {@link #OUTPUT_KEYS}
     * that holds any. Strings that are not URLs (e.g. base64 data) are ignored.
     */
    static List<String> imageUrls(JsonNode node) {
        for (String key : OUTPUT_KEYS) {
            List<String> found = new ArrayList<>();
            collect(node.path(key), found, 0);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static void collect(JsonNode v, List<String> out, int depth) {
        if (depth > 3 || v == null) {
            return;
        }
        if (v.isString()) {
            String s = v.asString().strip();
            String lower = s.toLowerCase(Locale.ROOT);
            if (lower.startsWith("http://") || lower.startsWith("https://") || s.startsWith("/")) {
                out.add(s);
            }
        } else if (v.isArray()) {
            for (JsonNode item : v) {
                collect(item, out, depth + 1);
            }
        } else if (v.isObject()) {
            for (String key : NESTED_URL_KEYS) {
                int before = out.size();
                collect(v.path(key), out, depth + 1);
                if (out.size() > before) {
                    return;
                }
            }
        }
    }

    /** The keys of a body, for messages. */
    static String keys(JsonNode node) {
        return node.isObject() ? String.join(", ", node.propertyNames()) : "(not an object)";
    }
}
