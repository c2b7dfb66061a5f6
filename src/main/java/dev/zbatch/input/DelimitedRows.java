package dev.zbatch.input;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the values of one CSV or TSV record into an {@link InputRow}, applying the shared rules. */
final class DelimitedRows {

    static final String NO_DATA_ROWS = "the file has a header row but no data rows";

    private DelimitedRows() {
    }

    /**
     * Pairs values with column names. More values than columns is an error (a ragged row); fewer values leave
     * the trailing columns absent from the row. A NUL character in a value is an error naming the field.
     * Both errors are {@linkplain InputException#rowScoped() row-scoped}: the record has been consumed.
     *
     * @param raggedHint appended to the ragged-row message, e.g. how to quote a separator; may be empty
     */
    static InputRow toRow(Path file, long rowNo, long line, List<String> columns, String[] values,
                          String raggedHint) {
        if (values.length > columns.size()) {
            throw new InputException(file, line, null, "ragged row: " + values.length + " fields but the header has "
                    + columns.size() + " columns (" + String.join(", ", columns) + ")" + raggedHint, rowNo, true);
        }
        Map<String, String> fields = new LinkedHashMap<>(values.length * 2);
        for (int i = 0; i < values.length; i++) {
            String name = columns.get(i);
            checkNoNul(file, rowNo, line, name, values[i]);
            fields.put(name, values[i]);
        }
        return new InputRow(rowNo, line, Collections.unmodifiableMap(fields));
    }

    static void checkNoNul(Path file, long rowNo, long line, String field, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new InputException(file, line, field,
                    "contains a NUL character (\\0): the file looks binary or UTF-16; save it as UTF-8 text",
                    rowNo, true);
        }
    }
}
