package dev.zbatch.input;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvException;
import com.opencsv.exceptions.CsvMalformedLineException;
import com.opencsv.exceptions.CsvMultilineLimitBrokenException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a comma-separated file (RFC 4180) as a stream of rows, using OpenCSV's {@link com.opencsv.RFC4180Parser}.
 *
 * <ul>
 *   <li>The first non-blank record is the header; names are trimmed and must be non-empty and unique.</li>
 *   <li>Fields may be double-quoted; a quoted field may hold commas, doubled quotes ({@code ""} for {@code "})
 *       and line breaks. There is no backslash escape: {@code C:\path} stays as written.</li>
 *   <li>UTF-8 unless told otherwise (zbatch.input.encoding), with or without a byte order mark; invalid bytes
 *       are an error naming their line.
 *       Line ends may be LF or CR LF. A line break inside a quoted field is returned as {@code \n}
 *       whatever its form in the file.</li>
 *   <li>{@link InputRow#line()} is the physical line where the record starts, counting every line end,
 *       including those inside quoted fields and blank lines.</li>
 *   <li>Completely empty lines are skipped (a line holding only {@code ""} counts as empty too).</li>
 *   <li>A record with <b>more</b> fields than the header is an error (a ragged row). A record with
 *       <b>fewer</b> fields is accepted: its missing trailing columns are simply absent from
 *       {@link InputRow#fields()} (spreadsheet exports often drop trailing empty cells). An empty cell
 *       that is present is the empty string.</li>
 *   <li>A quote left open is an error naming the line where the broken record starts. So that a stray quote
 *       cannot pull the rest of a large file into memory, a quoted field may span at most
 *       {@value #MAX_LINES_PER_RECORD} lines.</li>
 *   <li>A NUL character in a field is an error naming the line and the field.</li>
 *   <li>A file with a header and no data rows is an error when it is opened.</li>
 *   <li>A ragged row and a NUL character are {@linkplain InputException#rowScoped() row-scoped}: the next call
 *       reads on after the bad record. An unbalanced quote or invalid UTF-8 ends the reading.</li>
 * </ul>
 * Memory does not grow with the file: one record is held at a time.
 */
final class CsvRowSource implements RowSource, HeaderedRowSource {

    static final int MAX_LINES_PER_RECORD = 1000;
    private static final String RAGGED_HINT = "; a value that contains a comma must be in double quotes";

    private final Path file;
    private final CSVReader reader;
    private final List<String> columns;
    private final long headerLine;
    private long rowNo;
    private Record peeked;                 // the first data record, read when the file was opened (to fail early)

    CsvRowSource(Path file, InputStream in) {
        this(file, in, StandardCharsets.UTF_8, ',');
    }

    /** @param delimiter the separator between fields: a comma, or {@code ;} {@code |} or a tab (zbatch.input.delimiter) */
    CsvRowSource(Path file, InputStream in, Charset charset, char delimiter) {
        this.file = file;
        this.reader = new CSVReaderBuilder(new BufferedReader(new StrictTextReader(in, charset), 16384))
                .withCSVParser(new RFC4180ParserBuilder().withSeparator(delimiter).build())
                .withKeepCarriageReturn(false)
                .withMultilineLimit(MAX_LINES_PER_RECORD)
                .build();
        try {
            Record header = readRecord(0);
            if (header == null) {
                throw new InputException(file, 0, null, "no header row: the file holds nothing but blank lines");
            }
            this.headerLine = header.line;
            this.columns = HeaderNames.check(file, header.line, header.values);
            peeked = readRecord(1);   // a file that cannot be read past its header fails here, before any run
            if (peeked == null) {
                throw new InputException(file, headerLine, null, DelimitedRows.NO_DATA_ROWS);
            }
        } catch (RuntimeException e) {
            close();
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
        Record record = peeked != null ? peeked : readRecord(rowNo + 1);
        peeked = null;
        if (record == null) return null;
        return DelimitedRows.toRow(file, ++rowNo, record.line, columns, record.values, RAGGED_HINT);
    }

    /** @param dataRowNo the ordinal the record will have as a data row (0 for the header), for errors */
    private Record readRecord(long dataRowNo) {
        while (true) {
            long start = reader.getLinesRead() + 1;
            String[] values;
            try {
                values = reader.readNext();
            } catch (CsvMultilineLimitBrokenException e) {
                throw new InputException(file, start, null, "a quoted field starting on this line runs on for more"
                        + " than " + MAX_LINES_PER_RECORD + " lines: probably an unbalanced double quote",
                        dataRowNo, false);
            } catch (CsvMalformedLineException e) {
                throw new InputException(file, start, null,
                        "unbalanced double quote: a quoted field starting on this line is never closed",
                        dataRowNo, false);
            } catch (IOException e) {
                throw readError(e, start, dataRowNo);
            } catch (CsvException e) {
                throw new InputException(file, start, null, "cannot parse the record: " + e.getMessage(),
                        dataRowNo, false);
            }
            if (values == null) return null;
            boolean blank = values.length == 1 && values[0].isEmpty() && reader.getLinesRead() == start;
            if (!blank) return new Record(values, start);
        }
    }

    private InputException readError(IOException e, long start, long dataRowNo) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UndecodableTextException bad) {
                return new InputException(file, bad.line(), null, bad.reason(), dataRowNo, false);
            }
        }
        return new InputException(file, start, null, "cannot read the file: " + e.getMessage(), dataRowNo, false);
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException ignored) {
            // nothing useful to do: the file was only read
        }
    }

    private record Record(String[] values, long line) {
    }
}
