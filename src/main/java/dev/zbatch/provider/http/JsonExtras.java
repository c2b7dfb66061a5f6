package dev.zbatch.provider.http;

import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Writes a request's extra parameters (all given as text) into a submit body, typed conservatively. */
public final class JsonExtras {

    /** JSON number grammar: "0123" stays a string (leading zeros), so do "NaN" and "1e". */
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");

    private JsonExtras() {
    }

    /**
     * Adds every extra, in order.
     *
     * @param refused body fields zbatch sets itself
     * @throws IllegalArgumentException when an extra has the name of a refused field (it would bypass validation)
     */
    public static void putAll(ObjectNode body, Map<String, String> extras, Set<String> refused) {
        for (Map.Entry<String, String> e : extras.entrySet()) {
            if (refused.contains(e.getKey())) {
                throw new IllegalArgumentException("extra parameter '" + e.getKey()
                        + "' would overwrite a field zbatch sets itself; use the canonical parameter instead");
            }
            put(body, e.getKey(), e.getValue());
        }
    }

    /** "true"/"false" as booleans, numbers as JSON numbers, anything else as a string. */
    public static void put(ObjectNode body, String name, String value) {
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
}
