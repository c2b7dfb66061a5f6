package dev.zbatch.input;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Thrown by {@link StrictTextReader} when the bytes are not valid in the file's encoding. Carries the physical line
 * and the byte offset of the bad sequence so that the row sources can turn it into an {@link InputException}.
 */
final class UndecodableTextException extends IOException {

    private final long line;
    private final long byteOffset;
    private final Charset charset;
    private final boolean readsAsWindows1252;

    UndecodableTextException(long line, long byteOffset, String detail, Charset charset, boolean readsAsWindows1252) {
        super(detail);
        this.line = line;
        this.byteOffset = byteOffset;
        this.charset = charset;
        this.readsAsWindows1252 = readsAsWindows1252;
    }

    /** 1-based physical line holding the bad byte sequence. */
    long line() { return line; }

    /** 0-based offset of the first bad byte in the file. */
    long byteOffset() { return byteOffset; }

    /** The reason as shown to the user: what the bytes are not, and what to do (never a silent guess). */
    String reason() {
        String name = charset.equals(StandardCharsets.UTF_8) ? "UTF-8" : charset.name();
        String what = "not valid " + name + " (" + getMessage() + " at byte offset " + byteOffset + ")";
        if (readsAsWindows1252) {
            return what + "; the bytes read as Windows-1252 (a CSV saved by Excel on Windows): run with --encoding "
                    + "windows-1252 (zbatch.input.encoding) if that is what it is, or save the file as UTF-8";
        }
        if (charset.equals(StandardCharsets.UTF_8)) {
            return what + "; save the file as UTF-8, or name its encoding with --encoding (zbatch.input.encoding)";
        }
        return what + "; check zbatch.input.encoding";
    }
}
