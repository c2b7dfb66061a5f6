package dev.zbatch.request;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The canonical request as stable JSON (fixed key order), as the ledger stores it, and its SHA-256: two rows
 * asking the same model for the same thing have the same hash.
 */
public final class CanonicalJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CanonicalJson() {
    }

    public static String write(String provider, String model, ImageRequest r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("provider", provider);
        node.put("model", model);
        node.put("prompt", r.prompt());
        node.put("width", r.width());
        node.put("height", r.height());
        node.put("steps", r.steps());
        node.put("guidance_scale", r.guidanceScale());
        node.put("seed", r.seed());
        node.put("image_format", r.imageFormat());
        node.put("quality", r.quality());
        node.put("num_images", r.numImages());
        node.put("image_size", r.imageSize());
        node.put("enable_safety_checker", r.safetyChecker());
        node.put("acceleration", r.acceleration());
        ObjectNode extras = node.putObject("extras");
        r.extras().forEach(extras::put);
        return JSON.writeValueAsString(node);
    }

    public static ImageRequest read(String json) {
        JsonNode n = JSON.readTree(json);
        Map<String, String> extras = new LinkedHashMap<>();
        n.path("extras").properties().forEach(e -> extras.put(e.getKey(), e.getValue().asString()));
        return new ImageRequest(
                n.path("prompt").asString(),
                n.path("width").asInt(),
                n.path("height").asInt(),
                n.path("steps").asInt(),
                n.path("guidance_scale").asDouble(),
                n.path("seed").asLong(),
                n.path("image_format").asString(),
                n.path("quality").asInt(),
                n.path("num_images").asInt(),
                textOrNull(n.get("image_size")),
                n.hasNonNull("enable_safety_checker") ? n.get("enable_safety_checker").asBoolean() : null,
                textOrNull(n.get("acceleration")),
                extras);
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asString();
    }

    public static String sha256(String json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
