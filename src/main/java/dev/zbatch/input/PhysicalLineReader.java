package dev.zbatch.input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;

/**
 * Reads a file line by line as strict UTF-8 (byte order mark dropped; LF, CR LF or CR line ends), counting
 * physical lines. Read problems become {@link InputException}s naming the line.
 */
final class PhysicalLineReader implements AutoCloseable {

    private final Path file;
    private final BufferedReader reader;
    private long lineNo;

    PhysicalLineReader(Path file, InputStream in, Charset charset) {
        this.file = file;
        this.reader = new BufferedReader(new StrictTextReader(in, charset), 16384);
    }

    /** The next line without its line end, or null at the end of the file. */
    String next() {
        return next(0);
    }

    /**
     * The same, with the ordinal of the data row being read, for the errors: a read error is never
     * row-scoped (the rest of the file cannot be trusted).
     */
    String next(long dataRowNo) {
        try {
            String line = reader.readLine();
            if (line != null) lineNo++;
            return line;
        } catch (UndecodableTextException e) {
            throw new InputException(file, e.line(), null, e.reason(), dataRowNo, false);
        } catch (IOException e) {
            throw new InputException(file, lineNo + 1, null, "cannot read the file: " + e.getMessage(), dataRowNo,
                    false);
        }
    }

    /** The 1-based number of the line last returned by {@link #next()} (0 before the first). */
    long lineNo() {
        return lineNo;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException ignored) {
            // nothing useful to do: the file was only read
        }
    }
}
