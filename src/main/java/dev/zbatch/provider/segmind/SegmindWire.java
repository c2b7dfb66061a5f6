package dev.zbatch.provider.segmind;

import dev.zbatch.provider.http.JsonExtras;
import dev.zbatch.provider.http.JsonFields;
import dev.zbatch.request.ImageRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
        JsonExtras.putAll(body, r.extras(), CANONICAL_FIELDS);
        return json.writeValueAsBytes(body);
    }

    /** The seed the provider reports (number or numeric string), or null. */
    static Long seed(JsonNode node) {
        return JsonFields.longValue(node.path("seed"));
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
}
