package dev.zbatch.cost;

import com.opencsv.CSVWriter;
import dev.zbatch.config.ConfigException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code <output>/estimate-rejected.csv} (columns line, id, field, reason): every row the run would reject,
 * streamed as found. It is written under a temporary name and renamed once the whole input has been read, so
 * an estimate that stops on a broken input leaves no half file; an estimate without rejections removes the file
 * of an earlier one, so that what is there always belongs to the latest estimate.
 */
final class RejectionsFile implements AutoCloseable {

    static final String NAME = "estimate-rejected.csv";
    static final String[] HEADER = {"line", "id", "field", "reason"};

    private final Path file;
    private final Path partial;
    private CSVWriter writer;
    private boolean finished;

    RejectionsFile(Path outputDir) {
        this.file = outputDir.resolve(NAME);
        this.partial = outputDir.resolve(NAME + ".part");
    }

    void add(RejectedRow row) {
        try {
            if (writer == null) {
                Files.createDirectories(file.getParent());
                writer = new CSVWriter(Files.newBufferedWriter(partial, StandardCharsets.UTF_8));
                writer.writeNext(HEADER, false);
            }
            writer.writeNext(new String[]{Long.toString(row.line()), nullToEmpty(row.id()), nullToEmpty(row.field()),
                    row.reason()}, false);
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /** Puts the file in place; returns where it is, or null when no row was rejected. */
    Path finish() {
        finished = true;
        try {
            if (writer == null) {
                Files.deleteIfExists(file);
                return null;
            }
            writer.close();
            writer = null;
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /** Without {@link #finish()} (the input could not be read to the end): removes the partial file. */
    @Override
    public void close() {
        if (finished) return;
        try {
            if (writer != null) writer.close();
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ConfigException cannotWrite(IOException e) {
        return new ConfigException("cannot write " + file + ": " + e.getMessage());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
