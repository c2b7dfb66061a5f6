package dev.zbatch.config;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.origin.Origin;
import org.springframework.core.ResolvableType;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A setting Spring Boot could not bind, in zbatch's words: which key, where it came from, what was expected. */
public final class SettingProblems {

    private SettingProblems() {
    }

    /** One line for the user, or null when {@code bind} is not about a zbatch setting. */
    public static String describe(BindException bind) {
        for (Throwable c = bind; c != null; c = c.getCause()) {
            if (c instanceof UnboundConfigurationPropertiesException unbound) return unknown(unbound);
        }
        ConfigurationProperty property = bind.getProperty();
        if (property == null) return null;
        return "cannot use " + property.getName() + "=" + property.getValue() + from(property.getOrigin()) + ": "
                + expected(bind.getTarget().getType());
    }

    private static String unknown(UnboundConfigurationPropertiesException unbound) {
        List<String> lines = new ArrayList<>();
        for (ConfigurationProperty property : unbound.getUnboundProperties()) {
            String name = property.getName().toString();
            String nearest = SettingNames.nearest(name);
            lines.add("unknown setting " + name + from(property.getOrigin())
                    + (nearest != null ? "; did you mean " + nearest + "?" : "; the settings are listed in README.md"));
        }
        return String.join(System.lineSeparator() + "zbatch: ", lines) + System.lineSeparator()
                + "zbatch: nothing was sent";
    }

    /** " (in jobs/x.yml, line 3)", " (on the command line)", " (from the environment variable X)". */
    static String from(Origin origin) {
        if (origin == null) return "";
        String text = origin.toString();
        if (text.contains("commandLineArgs") || text.startsWith("\"--")) return " (on the command line)";
        if (text.startsWith("System Environment Property")) {
            return " (from the environment variable " + text.substring(text.indexOf('"') + 1, text.lastIndexOf('"'))
                    + ")";
        }
        // a file origin reads "URL [file:/…/x.yml] - 3:9" (line:column)
        int file = text.indexOf("[file:");
        if (file >= 0) {
            String path = text.substring(file + "[file:".length(), text.indexOf(']', file));
            int dash = text.lastIndexOf(" - ");
            String line = dash > 0 ? ", line " + text.substring(dash + 3).split(":")[0] : "";
            return " (in " + Path.of(path).getFileName() + line + ")";
        }
        return " (" + text + ")";
    }

    private static String expected(ResolvableType type) {
        Class<?> raw = type.resolve(Object.class);
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return "expected a whole number";
        }
        if (raw == double.class || raw == Double.class || raw == BigDecimal.class) {
            return "expected a number, such as 25 or 0.5";
        }
        if (raw == boolean.class || raw == Boolean.class) return "expected true or false";
        if (raw == Duration.class) return "expected a duration, such as 500ms, 10s, 5m or 2h";
        if (raw == URI.class) return "expected an address, such as https://api.segmind.com";
        if (raw.isEnum()) {
            return "expected one of " + String.join(", ", Arrays.stream(raw.getEnumConstants())
                    .map(v -> v.toString().toLowerCase(Locale.ROOT)).toList());
        }
        return "expected a " + raw.getSimpleName().toLowerCase(Locale.ROOT);
    }
}
