package dev.zbatch.input;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON Lines file as a stream of rows: one JSON object per line.
 *
 * <ul>
 *   <li>Blank lines (empty or only whitespace) are skipped, still counted for line numbers.</li>
 *   <li>A line that is not valid JSON, is not an object, or repeats a key is an error naming the line.</li>
 *   <li>Values: strings as they are; numbers and booleans as their JSON text ({@code "768"}, {@code "7.5"},
 *       {@code "true"}); {@code null} makes the key absent; arrays and objects become their compact JSON text.</li>
 *   <li>{@link #columns()} is the keys of the first object, empty until the first row has been read. Later rows
 *       may have other keys: check required keys per row ({@link InputRows#requireFields}).</li>
 *   <li>UTF-8 only, with or without a byte order mark; invalid bytes are an error naming their line.</li>
 * </ul>
 */
final class JsonlRowSource implements RowSource {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Path file;
    private final PhysicalLineReader lines;
    private List<String> columns = List.of();
    private long rowNo;

    JsonlRowSource(Path file, InputStream in) {
        this.file = file;
        this.lines = new PhysicalLineReader(file, in);
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public InputRow next() {
        String text;
        do {
            text = lines.next();
        } while (text != null && text.isBlank());
        if (text == null) return null;
        long line = lines.lineNo();

        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new InputException(file, line, null, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InputException(file, line, null, "expected a JSON object ({...}) but found "
                    + describe(node));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String value = toText(property.getValue());
            if (value == null) continue;
            DelimitedRows.checkNoNul(file, line, property.getKey(), value);
            fields.put(property.getKey(), value);
        }
        if (rowNo == 0) columns = Collections.unmodifiableList(new ArrayList<>(node.propertyNames()));
        return new InputRow(++rowNo, line, Collections.unmodifiableMap(fields));
    }

    /** The value as row text, or null when the value is JSON null (the key is then absent). */
    private static String toText(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) return null;
        if (value.isString()) return value.asString();
        return value.toString();   // numbers, booleans: their JSON text; arrays, objects: compact JSON
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) return "nothing";
        if (node.isArray()) return "an array";
        if (node.isString()) return "a string";
        if (node.isNumber()) return "a number";
        if (node.isBoolean()) return "a boolean";
        if (node.isNull()) return "null";
        return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void close() {
        lines.close();
    }
}
