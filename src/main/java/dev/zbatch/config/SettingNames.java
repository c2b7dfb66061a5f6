package dev.zbatch.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The names of every {@code zbatch.*} setting, read from {@link ZbatchProperties}, for "did you mean …?". */
public final class SettingNames {

    private static final List<String> ALL = names();

    private SettingNames() {
    }

    public static List<String> all() {
        return ALL;
    }

    /** The known setting nearest to {@code name} by edit distance, when one is near enough to be a typo. */
    public static String nearest(String name) {
        int leaf = name.length() - name.lastIndexOf('.') - 1;
        return Nearest.of(name.toLowerCase(Locale.ROOT), ALL, Math.max(2, leaf / 3));
    }

    /**
     * Refuses an environment variable {@code ZBATCH_*} that names no setting. Spring Boot reads
     * {@code ZBATCH_SUBMIT_WINDOW} as {@code zbatch.submit.window} (a dot for each underscore, the dashes left out),
     * but ignores one that names nothing, where a job spec's or a flag's typo is refused.
     */
    public static void checkEnvironment(Map<String, String> environment) {
        for (String variable : new TreeSet<>(environment.keySet())) {
            if (!variable.startsWith("ZBATCH_") || knownVariable(variable)) continue;
            String asSetting = variable.toLowerCase(Locale.ROOT).replace('_', '.');
            String nearest = nearest(asSetting);
            throw new ConfigException("unknown setting " + asSetting + " (from the environment variable " + variable
                    + ")" + (nearest != null ? "; did you mean " + nearest + " (" + variableOf(nearest) + ")?"
                    : "; the settings are listed in README.md") + System.lineSeparator() + "zbatch: nothing was sent");
        }
    }

    private static boolean knownVariable(String variable) {
        for (String name : ALL) {
            String known = variableOf(name);
            if (name.endsWith(".*") ? variable.startsWith(known.substring(0, known.length() - 1))
                    : variable.equals(known)) {
                return true;
            }
        }
        return false;
    }

    /** The environment variable Spring Boot reads as the setting: {@code ZBATCH_SUBMIT_WINDOW}. */
    static String variableOf(String name) {
        return name.toUpperCase(Locale.ROOT).replace("-", "").replace('.', '_');
    }

    private static List<String> names() {
        TreeSet<String> names = new TreeSet<>();
        collect("zbatch", ZbatchProperties.class, names);
        return List.copyOf(names);
    }

    private static void collect(String prefix, Class<?> type, TreeSet<String> names) {
        for (RecordComponent component : type.getRecordComponents()) {
            String name = prefix + "." + kebab(component.getName());
            Class<?> t = component.getType();
            if (t.isRecord()) {
                collect(name, t, names);
            } else if (Map.class.isAssignableFrom(t)) {
                names.add(name + ".*");
            } else {
                names.add(name);
            }
        }
    }

    static String kebab(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) sb.append('-').append(Character.toLowerCase(c));
            else sb.append(c);
        }
        return sb.toString();
    }
}
