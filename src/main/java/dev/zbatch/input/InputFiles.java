package dev.zbatch.input;

import dev.zbatch.config.InputFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens a prompt file as a {@link RowSource}. Every problem is an {@link InputException}, never an I/O error. */
public final class InputFiles {

    static final String UNKNOWN_FORMAT =
            "cannot tell the format from the extension; set zbatch.input.format to csv, tsv, jsonl or xlsx";

    /** Why the format is not known, and what to do: a workbook zbatch cannot read is named as one. */
    private static String unknownFormat(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".xls")) {
            return "is an Excel 97-2003 workbook (.xls), which zbatch does not read: save it as .xlsx or CSV";
        }
        if (name.endsWith(".ods")) return "is an OpenDocument spreadsheet (.ods): save it as .xlsx or CSV";
        if (name.endsWith(".numbers")) return "is a Numbers spreadsheet: export it as .xlsx or CSV";
        try (InputStream in = Files.newInputStream(file)) {
            byte[] start = in.readNBytes(4);
            if (start.length == 4 && start[0] == 'P' && start[1] == 'K' && start[2] == 3 && start[3] == 4) {
                return "looks like a workbook (a zip file): name it .xlsx, or set zbatch.input.format to xlsx";
            }
        } catch (IOException e) {
            // the reading itself will say what is wrong
        }
        return UNKNOWN_FORMAT;
    }

    private InputFiles() {
    }

    /**
     * Opens {@code file} for streaming. For CSV and TSV the header row is read (and checked) at once.
     *
     * @param options the format (null to take it from the extension: .csv, .tsv/.tab, .jsonl/.ndjson), encoding,
     *                delimiter
     * @throws InputException (line 0) when the file is missing, a directory, unreadable, empty, or of unknown
     *                        format; (with a line) when the header is unusable
     */
    public static RowSource open(Path file, InputOptions options) {
        checkReadableFile(file);
        InputFormat format = options.format() != null ? options.format() : InputFormat.fromFileName(file);
        if (format == null) throw new InputException(file, 0, null, unknownFormat(file));
        if (format == InputFormat.XLSX) return new XlsxRowSource(file, options.sheet());

        BufferedInputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (IOException e) {
            throw new InputException(file, 0, null, "cannot open the file: " + describe(e));
        }
        Charset charset = TextEncodings.of(file, in, options.encoding());
        return switch (format) {
            case CSV -> new CsvRowSource(file, in, charset, CsvDelimiters.of(file, in, charset, options.delimiter()));
            case TSV -> new TsvRowSource(file, in, charset);
            case JSONL -> new JsonlRowSource(file, in, charset);
            case XLSX -> throw new IllegalStateException("opened above");
        };
    }

    /**
     * Counts the data rows of {@code file} as the run will read them (an unreadable row counts: it becomes a
     * REJECTED row). Reads the whole file, so callers run it beside the work, not before it.
     *
     * @throws InputException when the file stops being readable (the run reports that itself)
     */
    public static long countRows(Path file, InputOptions options) {
        long rows = 0;
        try (RowSource source = open(file, options)) {
            while (InputRows.nextOrUnreadable(source) != null) rows++;
        }
        return rows;
    }

    private static void checkReadableFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new InputException(file, 0, null, "is a directory, not a prompt file");
        }
        if (!Files.exists(file)) {
            throw new InputException(file, 0, null, "file not found"
                    + (file.isAbsolute() ? "" : " (looked for " + file.toAbsolutePath().normalize() + ")"));
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException(file, 0, null, "is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new InputException(file, 0, null, "cannot read the file: permission denied");
        }
        try {
            if (Files.size(file) == 0) {
                throw new InputException(file, 0, null, "the file is empty (expected a header row or data)");
            }
        } catch (IOException e) {
            throw new InputException(file, 0, null, "cannot read the file: " + describe(e));
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) return "file not found";
        if (e instanceof AccessDeniedException) return "permission denied";
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
