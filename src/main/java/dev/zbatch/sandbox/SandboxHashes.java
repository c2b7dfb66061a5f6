package dev.zbatch.sandbox;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeSet;

/** Hashing helpers: the canonical form of a request body, SHA-256, and deterministic draws from a hash. */
final class SandboxHashes {

    private SandboxHashes() {
    }

    /**
     * The canonical form of a JSON document: object keys sorted (recursively), no whitespace, values as parsed
     * (so {@code 8} and {@code 8.0} stay different).
     */
    static String canonicalJson(JsonMapper mapper, JsonNode node) {
        return mapper.writeValueAsString(sorted(mapper, node));
    }

    private static JsonNode sorted(JsonMapper mapper, JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = mapper.createObjectNode();
            for (String name : new TreeSet<>(node.propertyNames())) copy.set(name, sorted(mapper, node.get(name)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = mapper.createArrayNode();
            for (JsonNode element : node.values()) copy.add(sorted(mapper, element));
            return copy;
        }
        return node;
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text));
    }

    /** A number in [0, 1) drawn deterministically from {@code text}. */
    static double unitInterval(String text) {
        byte[] hash = sha256(text);
        long bits = 0;
        for (int i = 0; i < 8; i++) bits = (bits << 8) | (hash[i] & 0xFF);
        return (bits >>> 11) * 0x1.0p-53;
    }
}
