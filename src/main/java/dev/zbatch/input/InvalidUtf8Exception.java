package dev.zbatch.input;

import java.io.IOException;

/**
 * Thrown by {@link StrictUtf8Reader} when the bytes are not valid UTF-8. Carries the physical line and the byte
 * offset of the bad sequence so that the row sources can turn it into an {@link InputException}.
 */
final class InvalidUtf8Exception extends IOException {

    private final long line;
    private final long byteOffset;

    InvalidUtf8Exception(long line, long byteOffset, String detail) {
        super(detail);
        this.line = line;
        this.byteOffset = byteOffset;
    }

    /** 1-based physical line holding the bad byte sequence. */
    long line() { return line; }

    /** 0-based offset of the first bad byte in the file. */
    long byteOffset() { return byteOffset; }

    /** The reason as shown to the user. */
    String reason() {
        return "not valid UTF-8 (" + getMessage() + " at byte offset " + byteOffset
                + "); save the file as UTF-8";
    }
}
