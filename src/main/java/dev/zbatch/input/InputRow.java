package dev.zbatch.input;

import java.util.Map;

/**
 * One data row of a prompt file.
 *
 * @param rowNo        1-based ordinal among data rows (header excluded); stable across re-reads of the same file
 * @param line         1-based physical line on which the row starts (a quoted CSV field may span several lines)
 * @param fields       column name to value, in file order; values are never null (a missing value is absent)
 * @param problem      why the row could not be read (a ragged row, a broken JSON line…), or null; such a row
 *                     becomes REJECTED and the rows after it are read as usual
 * @param problemField the field concerned by {@code problem}, or null
 */
public record InputRow(long rowNo, long line, Map<String, String> fields, String problem, String problemField) {

    public InputRow(long rowNo, long line, Map<String, String> fields) {
        this(rowNo, line, fields, null, null);
    }

    /** A row the reader could not read but could read past. */
    public static InputRow unreadable(InputException e) {
        return new InputRow(e.rowNo(), e.line(), Map.of(), e.reason(), e.field());
    }

    public String field(String name) {
        return fields.get(name);
    }

    public boolean unreadable() {
        return problem != null;
    }
}
