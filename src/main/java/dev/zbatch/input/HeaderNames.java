package dev.zbatch.input;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks and cleans the header row of a CSV or TSV file: names are trimmed, must be non-empty and unique. */
final class HeaderNames {

    private HeaderNames() {
    }

    /**
     * @param line the physical line of the header (for messages)
     * @return the trimmed names, in file order, unmodifiable
     * @throws InputException for an empty or duplicate name, or a name holding NUL characters
     */
    static List<String> check(Path file, long line, String[] raw) {
        List<String> names = new ArrayList<>(raw.length);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < raw.length; i++) {
            String name = raw[i].strip();
            if (i == 0 && name.startsWith("\uFEFF")) name = name.substring(1).strip();
            if (name.indexOf('\0') >= 0) {
                throw new InputException(file, line, null,
                        "the header contains NUL characters: the file looks like UTF-16 or binary; save it as UTF-8");
            }
            if (name.isEmpty()) {
                throw new InputException(file, line, null, "column " + (i + 1) + " of the header has no name"
                        + " (header: " + String.join(", ", raw) + ")");
            }
            Integer earlier = seen.putIfAbsent(name, i + 1);
            if (earlier != null) {
                throw new InputException(file, line, name, "duplicate column name (columns " + earlier
                        + " and " + (i + 1) + " of the header)");
            }
            names.add(name);
        }
        return Collections.unmodifiableList(names);
    }
}
