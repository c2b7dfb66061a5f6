package dev.zbatch.input;

import dev.zbatch.config.InputFormat;
/**
 * How to read an input file.
 *
 * @param format    null: from the file's extension
 * @param encoding  {@code auto} (a byte order mark decides, else UTF-8) or a Java charset name
 * @param delimiter a CSV file's separator ({@code ,} {@code ;} {@code |} or a tab), or {@code auto} to take the one
 *                  its header uses; null: a comma
 * @param sheet     a workbook's sheet by name; null: the first
 */
public record InputOptions(InputFormat format, String encoding, String delimiter, String sheet) {

    /** The extension's format, UTF-8 (or what a byte order mark says), commas, the first sheet. */
    public static final InputOptions DEFAULTS = new InputOptions(null, "auto", null, null);

    public InputOptions withFormat(InputFormat format) {
        return new InputOptions(format, encoding, delimiter, sheet);
    }
}
