package dev.zbatch.provider.pixazo;

import dev.zbatch.provider.http.JsonExtras;
import dev.zbatch.provider.http.JsonFields;
import dev.zbatch.request.ImageRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
        JsonExtras.putAll(body, r.extras(), CANONICAL_FIELDS);
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

    /** The seed Pixazo reports ({@code seed}, else {@code output.seed}; a number or numeric string), or null. */
    static Long seed(JsonNode node) {
        Long top = JsonFields.longValue(node.path("seed"));
        return top != null ? top : JsonFields.longValue(node.path("output").path("seed"));
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
        String keys = JsonFields.keys(node);
        JsonNode output = node.path("output");
        if (output.isObject()) {
            keys += "; output: " + (output.isEmpty() ? "(empty)" : String.join(", ", output.propertyNames()));
        }
        return keys;
    }
}
