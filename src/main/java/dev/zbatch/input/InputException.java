package dev.zbatch.input;

import java.nio.file.Path;

/**
 * A problem with the prompt file that the user must fix. The message names the file, the line and, where
 * known, the field, e.g. {@code prompts.csv:14: field 'prompt': unbalanced quote}.
 */
public class InputException extends RuntimeException {

    private final Path file;
    private final long line;
    private final String field;
    private final String reason;

    public InputException(Path file, long line, String field, String reason) {
        super(format(file, line, field, reason));
        this.file = file;
        this.line = line;
        this.field = field;
        this.reason = reason;
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
}
