package dev.zbatch.input;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/** Checks that a prompt file has the columns a job needs. */
public final class InputRows {

    private InputRows() {
    }

    /**
     * Fails when the file's header lacks one of {@code required} (names are compared exactly, after the header's
     * names were trimmed). For a source without a header (JSONL, whose {@link RowSource#columns()} is empty
     * before the first row) nothing is checked here: use {@link #requireFields} on each row.
     *
     * @throws InputException at the header line (1), naming the first missing column and listing the file's columns
     */
    public static void requireColumns(RowSource source, Path file, Collection<String> required) {
        List<String> columns = source.columns();
        if (columns.isEmpty() && !(source instanceof HeaderedRowSource)) return;
        long line = source instanceof HeaderedRowSource h ? h.headerLine() : 1;
        for (String name : required) {
            if (!columns.contains(name)) {
                throw new InputException(file, line, name, "no such column; the file has columns: "
                        + String.join(", ", columns) + hint(name, columns));
            }
        }
    }

    /**
     * Fails when {@code row} has no value for one of {@code required} (absent, e.g. a JSONL key missing or null,
     * or a short CSV row). An empty string counts as present: deciding whether empty is acceptable is the
     * caller's business.
     *
     * @throws InputException at the row's line, naming the first missing field
     */
    public static void requireFields(InputRow row, Path file, Collection<String> required) {
        for (String name : required) {
            if (!row.fields().containsKey(name)) {
                throw new InputException(file, row.line(), name, "missing in this row");
            }
        }
    }

    private static String hint(String wanted, List<String> columns) {
        for (String c : columns) {
            if (c.equalsIgnoreCase(wanted)) return " (did you mean '" + c + "'? names are case-sensitive)";
        }
        if (columns.size() == 1) {
            String only = columns.get(0);
            if (only.indexOf(';') >= 0) return " (the header looks semicolon-separated: run with --delimiter ';' "
                    + "(zbatch.input.delimiter), or --delimiter auto)";
            if (only.indexOf('|') >= 0) return " (the header looks |-separated: run with --delimiter '|' "
                    + "(zbatch.input.delimiter), or --delimiter auto)";
            if (only.indexOf('\t') >= 0) return " (the header looks tab-separated; set zbatch.input.format to tsv)";
            if (only.indexOf(',') >= 0) return " (the header looks comma-separated; set zbatch.input.format to csv)";
        }
        return "";
    }

    /**
     * The next row, as {@link RowSource#next()}; a row the reader could not read but can read past (a ragged row,
     * a broken JSON line) comes back as an {@link InputRow#unreadable} row, to be REJECTED with its reason. A
     * problem nothing can be read past (an unbalanced quote, invalid UTF-8) is thrown.
     */
    public static InputRow nextOrUnreadable(RowSource source) {
        try {
            return source.next();
        } catch (InputException e) {
            if (!e.rowScoped()) throw e;
            return InputRow.unreadable(e);
        }
    }
}
