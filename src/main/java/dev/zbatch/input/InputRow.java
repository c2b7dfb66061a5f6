package dev.zbatch.input;

import java.util.Map;

/**
 * One data row of a prompt file.
 *
 * @param rowNo  1-based ordinal among data rows (header excluded); stable across re-reads of the same file
 * @param line   1-based physical line on which the row starts (a quoted CSV field may span several lines)
 * @param fields column name to value, in file order; values are never null (a missing value is absent)
 */
public record InputRow(long rowNo, long line, Map<String, String> fields) {

    public String field(String name) {
        return fields.get(name);
    }
}
