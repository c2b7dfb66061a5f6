package dev.zbatch.input;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
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
 *   <li>A line that is not valid JSON, is not an object, or repeats a key is an error naming the line. Such an
 *       error (and a NUL character in a value) is {@linkplain InputException#rowScoped() row-scoped}: the line
 *       counts as a row, and the next call reads on after it. Invalid UTF-8 ends the reading.</li>
 *   <li>A file with nothing but blank lines is an error when it is opened.</li>
 *   <li>Values: strings as they are; numbers and booleans as their JSON text ({@code "768"}, {@code "7.5"},
 *       {@code "true"}); {@code null} makes the key absent; arrays and objects become their compact JSON text.</li>
 *   <li>{@link #columns()} is the keys of the first valid object, empty until it has been read. Later rows
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
    private boolean columnsKnown;
    private long rowNo;
    private String peeked;                 // the first non-blank line, read when the file was opened
    private long peekedLine;

    JsonlRowSource(Path file, InputStream in) {
        this(file, in, StandardCharsets.UTF_8);
    }

    JsonlRowSource(Path file, InputStream in, Charset charset) {
        this.file = file;
        this.lines = new PhysicalLineReader(file, in, charset);
        try {
            peeked = nextNonBlank(1);   // a file that cannot be read at all fails here, before any run
            peekedLine = lines.lineNo();
        } catch (RuntimeException e) {
            lines.close();
            throw e;
        }
        if (peeked == null) {
            lines.close();
            throw new InputException(file, 0, null, "no data rows: the file holds nothing but blank lines");
        }
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public InputRow next() {
        String text;
        long line;
        if (peeked != null) {
            text = peeked;
            line = peekedLine;
            peeked = null;
        } else {
            text = nextNonBlank(rowNo + 1);
            line = lines.lineNo();
        }
        if (text == null) return null;
        long no = ++rowNo;   // a bad line is a row too, so that the rows after it keep their numbers

        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new InputException(file, line, null, notJson(e), no, true);
        }
        if (node == null || !node.isObject()) {
            throw new InputException(file, line, null, "expected a JSON object ({...}) but found "
                    + describe(node), no, true);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String value = toText(property.getValue());
            if (value == null) continue;
            DelimitedRows.checkNoNul(file, no, line, property.getKey(), value);
            fields.put(property.getKey(), value);
        }
        if (!columnsKnown) {
            columns = Collections.unmodifiableList(new ArrayList<>(node.propertyNames()));
            columnsKnown = true;
        }
        return new InputRow(no, line, Collections.unmodifiableMap(fields));
    }

    private String nextNonBlank(long dataRowNo) {
        String text;
        do {
            text = lines.next(dataRowNo);
        } while (text != null && text.isBlank());
        return text;
    }

    /** Jackson's reason without its parser internals ("start marker at [Source: REDACTED ...]"), plus the column. */
    static String notJson(JacksonException e) {
        String reason = e.getOriginalMessage() == null ? "cannot parse it" : e.getOriginalMessage();
        for (String internals : new String[]{" (start marker at", "\n at [Source", " at [Source", "[Source:"}) {
            int cut = reason.indexOf(internals);
            if (cut >= 0) reason = reason.substring(0, cut);
        }
        reason = reason.strip();
        if (reason.isEmpty()) reason = "cannot parse it";
        TokenStreamLocation where = e.getLocation();
        String column = where != null && where.getColumnNr() > 0 ? " at column " + where.getColumnNr() : "";
        return "not valid JSON" + column + ": " + reason;
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
