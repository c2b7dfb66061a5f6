package dev.zbatch.input;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes text strictly (bad bytes are an error, never silently replaced; UTF-8 unless told otherwise), drops a
 * leading byte order mark, and reports a bad byte sequence on the physical line where it sits.
 *
 * <p>Unlike {@link java.io.InputStreamReader}, every character decoded before a bad sequence is handed out first;
 * the {@link UndecodableTextException} is thrown only when the caller asks for the character that cannot be decoded.
 * Lines are counted the way {@link java.io.BufferedReader#readLine()} ends them: LF, CR, or CR LF.
 */
final class StrictTextReader extends Reader {

    private static final char BOM = '\uFEFF';

    private final InputStream in;
    private final Charset charset;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(8192);
    private final CharBuffer chars = CharBuffer.allocate(8192);

    private long bytesConsumedBefore;   // bytes of the file that are no longer in `bytes`
    private long lineBreaks;            // line ends among the characters decoded so far
    private boolean lastWasCr;
    private boolean started;
    private boolean eof;
    private boolean flushed;
    private UndecodableTextException pending;

    StrictTextReader(InputStream in) {
        this(in, StandardCharsets.UTF_8);
    }

    StrictTextReader(InputStream in, Charset charset) {
        this.in = in;
        this.charset = charset;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        bytes.flip();   // empty, in read mode
        chars.flip();
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (!chars.hasRemaining()) {
            if (pending != null) throw pending;
            if (flushed) return -1;
            decodeMore();
        }
        int n = Math.min(len, chars.remaining());
        chars.get(cbuf, off, n);
        return n;
    }

    /** Decodes at least one more character, or sets pending / flushed. */
    private void decodeMore() throws IOException {
        chars.clear();
        try {
            while (chars.position() == 0 && pending == null && !flushed) {
                if (!bytes.hasRemaining() && !eof) fill();
                CoderResult result = decoder.decode(bytes, chars, eof);
                if (result.isError()) {
                    long offset = bytesConsumedBefore + bytes.position();
                    countLines(chars, 0, chars.position());
                    pending = new UndecodableTextException(lineBreaks + 1, offset, describe(result), charset,
                            charset.equals(StandardCharsets.UTF_8) && readsAsWindows1252(result));
                } else if (result.isUnderflow() && eof) {
                    decoder.flush(chars);
                    flushed = true;
                } else if (result.isUnderflow()) {
                    fill();
                }
            }
            if (pending == null) countLines(chars, 0, chars.position());
        } finally {
            chars.flip();
        }
        if (!started && chars.hasRemaining()) {
            started = true;
            if (chars.get(chars.position()) == BOM) chars.get();
        }
    }

    /** Whether the bad bytes are ones Windows-1252 defines (all but 0x81, 0x8D, 0x8F, 0x90 and 0x9D). */
    private boolean readsAsWindows1252(CoderResult result) {
        for (int i = 0; i < result.length() && bytes.position() + i < bytes.limit(); i++) {
            int b = bytes.get(bytes.position() + i) & 0xFF;
            if (b < 0x80 || b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D) return false;
        }
        return true;
    }

    private String describe(CoderResult result) {
        StringBuilder sb = new StringBuilder(result.length() > 1 ? "bad bytes" : "bad byte");
        for (int i = 0; i < result.length() && bytes.position() + i < bytes.limit(); i++) {
            sb.append(String.format(" 0x%02X", bytes.get(bytes.position() + i) & 0xFF));
        }
        return sb.toString();
    }

    /** Moves unread bytes to the front and reads more from the stream. */
    private void fill() throws IOException {
        bytesConsumedBefore += bytes.position();
        bytes.compact();
        try {
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) eof = true;
            else bytes.position(bytes.position() + n);
        } finally {
            bytes.flip();
        }
    }

    private void countLines(CharBuffer buf, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = buf.get(i);
            if (c == '\r') lineBreaks++;
            else if (c == '\n' && !lastWasCr) lineBreaks++;
            lastWasCr = c == '\r';
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
