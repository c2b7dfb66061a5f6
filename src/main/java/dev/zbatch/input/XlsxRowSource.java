package dev.zbatch.input;

import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads one sheet of an {@code .xlsx} workbook as a stream of rows (fastexcel-reader: the sheet's XML is read row
 * by row, so memory does not grow with its rows; only the workbook's table of distinct strings is held). The first
 * row with a value is the header; cells are text as Excel shows them ({@link XlsxCellText}); a row's line is its
 * row number in the sheet. Rows without a value are skipped.
 */
final class XlsxRowSource implements RowSource, HeaderedRowSource {

    private final Path file;
    private final ReadableWorkbook workbook;
    private final Stream<Row> stream;
    private final Iterator<Row> rows;
    private final List<String> columns;
    private final long headerLine;
    private long rowNo;
    private InputRow peeked;

    XlsxRowSource(Path file, String sheetName) {
        this.file = file;
        try {
            workbook = new ReadableWorkbook(file.toFile(), new ReadingOptions(true, false));
        } catch (IOException | RuntimeException e) {
            throw new InputException(file, 0, null, "cannot read the workbook: " + e.getMessage()
                    + " (is it an .xlsx saved by Excel, not renamed from another format?)");
        }
        try {
            Sheet sheet = sheet(sheetName);
            stream = sheet.openStream();
            rows = stream.iterator();
            Cells header = nextWithValues();
            if (header == null) throw new InputException(file, 0, null, "the sheet '" + sheet.getName() + "' is empty");
            headerLine = header.rowNum();
            columns = HeaderNames.check(file, headerLine, header.values());
            peeked = next();
            if (peeked == null) throw new InputException(file, headerLine, null, DelimitedRows.NO_DATA_ROWS);
        } catch (IOException | UncheckedIOException e) {
            close();
            throw new InputException(file, 0, null, "cannot read the workbook: " + e.getMessage());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private Sheet sheet(String name) {
        if (name == null || name.isBlank()) return workbook.getFirstSheet();
        return workbook.findSheet(name).orElseThrow(() -> new InputException(file, 0, null, "no sheet named '" + name
                + "' (the sheets are " + String.join(", ", workbook.getSheets().map(Sheet::getName).toList())
                + "; zbatch.input.sheet)"));
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
        if (peeked != null) {
            InputRow row = peeked;
            peeked = null;
            return row;
        }
        Cells row;
        try {
            row = nextWithValues();
        } catch (UncheckedIOException e) {
            throw new InputException(file, 0, null, "cannot read the workbook: " + e.getMessage(), rowNo + 1, false);
        }
        if (row == null) return null;
        return DelimitedRows.toRow(file, ++rowNo, row.rowNum(), columns, row.values(),
                ": a cell to the right of the header's last column has a value");
    }

    /** A sheet row's number and its cells as text. */
    private record Cells(int rowNum, String[] values) {
    }

    private Cells nextWithValues() {
        while (rows.hasNext()) {
            Row row = rows.next();
            List<String> values = values(row);
            if (!values.isEmpty()) return new Cells(row.getRowNum(), values.toArray(String[]::new));
        }
        return null;
    }

    /** The row's cells as text, without the empty ones after its last value. */
    private static List<String> values(Row row) {
        List<String> values = new ArrayList<>(row.getCellCount());
        for (int i = 0; i < row.getCellCount(); i++) values.add(XlsxCellText.of(row.getCell(i)));
        int end = values.size();
        while (end > 0 && values.get(end - 1).isEmpty()) end--;
        return values.subList(0, end);
    }

    @Override
    public void close() {
        try {
            if (stream != null) stream.close();
            workbook.close();
        } catch (IOException | RuntimeException ignored) {
            // nothing useful to do: the file was only read
        }
    }
}
