package dev.zbatch.input;

import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a tab-separated file as a stream of rows: one record per physical line, fields split on every tab.
 *
 * <ul>
 *   <li>No quoting at all: a {@code "} is an ordinary character (as in most real TSV files), so a value can hold
 *       neither a tab nor a line break.</li>
 *   <li>The first non-blank line is the header; names are trimmed and must be non-empty and unique.</li>
 *   <li>UTF-8 only, with or without a byte order mark; LF or CR LF line ends; invalid bytes are an error naming
 *       their line.</li>
 *   <li>Completely empty lines are skipped (still counted for line numbers).</li>
 *   <li>More fields than the header is an error (a ragged row); fewer fields leave the trailing columns absent
 *       from {@link InputRow#fields()}. An empty field that is present is the empty string.</li>
 *   <li>A NUL character in a field is an error naming the line and the field.</li>
 *   <li>A file with a header and no data rows is an error when it is opened.</li>
 *   <li>A ragged row and a NUL character are {@linkplain InputException#rowScoped() row-scoped}: the next call
 *       reads on after the bad line. Invalid UTF-8 ends the reading.</li>
 * </ul>
 */
final class TsvRowSource implements RowSource, HeaderedRowSource {

    private static final String RAGGED_HINT = "; TSV has no quoting, so a value cannot contain a tab";

    private final Path file;
    private final PhysicalLineReader lines;
    private final List<String> columns;
    private final long headerLine;
    private long rowNo;
    private String peeked;                 // the first data line, read when the file was opened
    private long peekedLine;

    TsvRowSource(Path file, InputStream in) {
        this(file, in, StandardCharsets.UTF_8);
    }

    TsvRowSource(Path file, InputStream in, Charset charset) {
        this.file = file;
        this.lines = new PhysicalLineReader(file, in, charset);
        try {
            String header = nextNonBlank(0);
            if (header == null) {
                throw new InputException(file, 0, null, "no header row: the file holds nothing but blank lines");
            }
            this.headerLine = lines.lineNo();
            this.columns = HeaderNames.check(file, headerLine, split(header));
            peeked = nextNonBlank(1);   // a file that cannot be read past its header fails here, before any run
            peekedLine = lines.lineNo();
            if (peeked == null) {
                throw new InputException(file, headerLine, null, DelimitedRows.NO_DATA_ROWS);
            }
        } catch (RuntimeException e) {
            lines.close();
            throw e;
        }
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public long headerLine() {
        return headerLine;
    }

    @Override
    public InputRow next() {
        String line;
        long lineNo;
        if (peeked != null) {
            line = peeked;
            lineNo = peekedLine;
            peeked = null;
        } else {
            line = nextNonBlank(rowNo + 1);
            lineNo = lines.lineNo();
        }
        if (line == null) return null;
        return DelimitedRows.toRow(file, ++rowNo, lineNo, columns, split(line), RAGGED_HINT);
    }

    /** @param dataRowNo the ordinal the line will have as a data row (0 for the header), for errors */
    private String nextNonBlank(long dataRowNo) {
        String line;
        do {
            line = lines.next(dataRowNo);
        } while (line != null && line.isEmpty());
        return line;
    }

    private static String[] split(String line) {
        return line.split("\t", -1);
    }

    @Override
    public void close() {
        lines.close();
    }
}
