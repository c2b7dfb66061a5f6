package dev.zbatch.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A file-name template such as {@code "{id}"}, {@code "{line}-{slug}"} or {@code "{sku}-{color}"}.
 * <p>
 * Placeholders: {@code {id}} (the row's id, empty without one), {@code {line}} (physical line) and
 * {@code {row}} (data-row ordinal), both zero-padded to 6 digits, {@code {slug}} ({@link FileNames#slug} of the
 * prompt, at most {@value #SLUG_WORDS} words / {@value #SLUG_CHARS} chars), and any input column name
 * {@code {column}} (exact match first, then case-insensitive). The built-in names win over columns of the same
 * name. An unknown placeholder renders as empty; a '{' without a matching '}' is literal text.
 * <p>
 * Separators ('-', '_', '.', spaces) at the very start or end of the result that only border empty
 * placeholders are dropped, so {@code "{line}-{slug}"} with an empty slug gives "000012", not "000012-".
 * The result always goes through {@link FileNames#sanitize}, so it is one safe stem: a '/' in the
 * template or in a value becomes '_' (no sub-folders). Instances are immutable and thread-safe.
 */
public final class NameTemplate {

    public static final String ID_TEMPLATE = "{id}";
    public static final String LINE_SLUG_TEMPLATE = "{line}-{slug}";
    static final int SLUG_WORDS = 8;
    static final int SLUG_CHARS = 60;

    private final String template;
    private final List<Part> parts;

    private record Part(String text, boolean placeholder) {
    }

    public NameTemplate(String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("file-name template must not be empty");
        }
        this.template = template;
        this.parts = parse(template);
    }

    /** The default template: {@code "{id}"} when the input has an id column, else {@code "{line}-{slug}"}. */
    public static NameTemplate defaultFor(boolean hasId) {
        return new NameTemplate(hasId ? ID_TEMPLATE : LINE_SLUG_TEMPLATE);
    }

    public String template() {
        return template;
    }

    /**
     * Renders the stem for one row; the result is sanitised (see {@link FileNames#sanitize}) and never empty.
     * Collisions between rows are not resolved here: the ledger gives a row stem-2, stem-3… when its stem is
     * taken ({@code RowIntake.claimStem}).
     *
     * @param id     the row's id, or null when the input has no id column
     * @param fields the row's columns (may be null)
     */
    public String render(long rowNo, long line, String id, String prompt, Map<String, String> fields) {
        List<String> values = new ArrayList<>(parts.size());
        List<Boolean> emptyPlaceholder = new ArrayList<>(parts.size());
        for (Part part : parts) {
            String value = part.placeholder() ? value(part.text(), rowNo, line, id, prompt, fields) : part.text();
            values.add(value);
            emptyPlaceholder.add(part.placeholder() && value.isEmpty());
        }
        // Parts before the first / after the last contentful part are empty placeholders or separator-only
        // literals; if an empty placeholder is among them, the separators were meant to join it: drop them.
        int first = firstContentful(values, emptyPlaceholder);
        int last = lastContentful(values, emptyPlaceholder);
        int from = emptyPlaceholder.subList(0, first).contains(true) ? first : 0;
        int to = emptyPlaceholder.subList(last + 1, values.size()).contains(true) ? last + 1 : values.size();
        StringBuilder rendered = new StringBuilder();
        for (int i = from; i < to; i++) {
            rendered.append(values.get(i));
        }
        return FileNames.sanitize(rendered.toString());
    }

    /** Index of the first part that is a non-empty placeholder value or a literal with a non-separator. */
    private static int firstContentful(List<String> values, List<Boolean> emptyPlaceholder) {
        for (int i = 0; i < values.size(); i++) {
            if (!emptyPlaceholder.get(i) && !onlySeparators(values.get(i))) {
                return i;
            }
        }
        return values.size();
    }

    private static int lastContentful(List<String> values, List<Boolean> emptyPlaceholder) {
        for (int i = values.size() - 1; i >= 0; i--) {
            if (!emptyPlaceholder.get(i) && !onlySeparators(values.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean onlySeparators(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isSeparator(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSeparator(char c) {
        return c == '-' || c == '_' || c == '.' || c == ' ';
    }

    private static String value(String name, long rowNo, long line, String id, String prompt,
                                Map<String, String> fields) {
        switch (name) {
            case "id":
                return id == null ? "" : id;
            case "line":
                return pad(line);
            case "row":
                return pad(rowNo);
            case "slug":
                return FileNames.slug(prompt, SLUG_WORDS, SLUG_CHARS);
            default:
                return column(name, fields);
        }
    }

    private static String pad(long n) {
        return String.format(Locale.ROOT, "%06d", n);
    }

    private static String column(String name, Map<String, String> fields) {
        if (fields == null) {
            return "";
        }
        String v = fields.get(name);
        if (v == null) {
            for (Map.Entry<String, String> e : fields.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    v = e.getValue();
                    break;
                }
            }
        }
        return v == null ? "" : v.strip();
    }

    private static List<Part> parse(String template) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            int close = c == '{' ? template.indexOf('}', i + 1) : -1;
            int nextOpen = c == '{' ? template.indexOf('{', i + 1) : -1;
            if (close > i + 1 && (nextOpen < 0 || nextOpen > close)) {
                if (literal.length() > 0) {
                    parts.add(new Part(literal.toString(), false));
                    literal.setLength(0);
                }
                parts.add(new Part(template.substring(i + 1, close).strip(), true));
                i = close + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(new Part(literal.toString(), false));
        }
        return List.copyOf(parts);
    }

    @Override
    public String toString() {
        return template;
    }
}
