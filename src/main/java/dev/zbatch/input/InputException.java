package dev.zbatch.input;

import java.nio.file.Path;

/**
 * A problem with the prompt file that the user must fix. The message names the file, the line and, where
 * known, the field, e.g. {@code prompts.csv:14: field 'prompt': unbalanced quote}.
 *
 * <p>Two kinds, told apart by {@link #rowNo()} and {@link #rowScoped()}:
 * <ul>
 *   <li>a problem with the file as a whole or its header ({@code rowNo() == 0}): nothing can be read;</li>
 *   <li>a problem met while reading data rows ({@code rowNo() > 0}, the ordinal the bad row has or would have
 *       had). When it is {@link #rowScoped() row-scoped} (a ragged row, a NUL in a field, a JSONL line that is
 *       not a JSON object) the row source has consumed that one row and can go on: calling
 *       {@link RowSource#next()} again returns the rows after it, numbered as if the bad row had been one. Any
 *       other data-row problem (an unbalanced quote, invalid UTF-8, a read error) leaves the rest of the file
 *       unreadable: the source must not be read further.</li>
 * </ul>
 */
public class InputException extends RuntimeException {

    private final Path file;
    private final long line;
    private final String field;
    private final String reason;
    private final long rowNo;
    private final boolean rowScoped;

    /** A problem with the file as a whole or its header. */
    public InputException(Path file, long line, String field, String reason) {
        this(file, line, field, reason, 0, false);
    }

    /**
     * A problem met while reading data rows.
     *
     * @param rowNo     the 1-based ordinal of the bad row among data rows (0: not a data-row problem)
     * @param rowScoped the source has skipped just this row and can go on reading
     */
    public InputException(Path file, long line, String field, String reason, long rowNo, boolean rowScoped) {
        super(format(file, line, field, reason));
        this.file = file;
        this.line = line;
        this.field = field;
        this.reason = reason;
        this.rowNo = rowNo;
        this.rowScoped = rowScoped;
    }

    private static String format(Path file, long line, String field, String reason) {
        StringBuilder sb = new StringBuilder(String.valueOf(file));
        if (line > 0) sb.append(':').append(line);
        sb.append(": ");
        if (field != null) sb.append("field '").append(field).append("': ");
        return sb.append(reason).toString();
    }

    public Path file() { return file; }

    /** 1-based line, or 0 when the problem is with the file as a whole. */
    public long line() { return line; }

    /** The column concerned, or null. */
    public String field() { return field; }

    public String reason() { return reason; }

    /** The 1-based ordinal of the bad data row, or 0 when the problem is with the file or its header. */
    public long rowNo() { return rowNo; }

    /** True when only this row is bad and the source can go on reading the rows after it. */
    public boolean rowScoped() { return rowScoped; }
}
