package dev.zbatch.request;

import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookup;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A prompt built from a row's columns: {@code "Studio photo of {title}, {color}, white background"}.
 * A placeholder is {@code {column}}; {@code \{text}} is kept literally. Column values are inserted as they are
 * (never expanded again). A placeholder whose column is empty on a row makes that row REJECTED.
 */
public final class PromptTemplate {

    private final String template;
    private final List<String> placeholders;

    public PromptTemplate(String template) {
        this.template = template;
        this.placeholders = List.copyOf(scan(template));
    }

    /** The column names the template uses, in order of first use. */
    public List<String> placeholders() {
        return placeholders;
    }

    /** The prompt for this row, or throws {@link MissingValue} naming the first empty column. */
    public String render(Map<String, String> fields) {
        List<String> missing = new ArrayList<>();
        StringLookup lookup = key -> {
            String value = fields.get(key);
            if (value == null || value.isBlank()) {
                missing.add(key);
                return "";
            }
            return value;
        };
        StringSubstitutor substitutor = new StringSubstitutor(lookup, "{", "}", '\\');
        substitutor.setDisableSubstitutionInValues(true); // row content is data, never a template
        String result = substitutor.replace(template);
        if (!missing.isEmpty()) throw new MissingValue(missing.get(0));
        return result;
    }

    private static Set<String> scan(String template) {
        Set<String> names = new LinkedHashSet<>();
        StringSubstitutor collector = new StringSubstitutor(key -> {
            names.add(key);
            return "";
        }, "{", "}", '\\');
        collector.replace(template);
        return names;
    }

    /** A placeholder's column is empty or absent on a row. */
    public static final class MissingValue extends RuntimeException {
        private final String column;

        MissingValue(String column) {
            super("the template needs column '" + column + "', which is empty on this row");
            this.column = column;
        }

        public String column() {
            return column;
        }
    }
}
