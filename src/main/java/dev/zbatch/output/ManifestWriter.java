package dev.zbatch.output;

import com.opencsv.CSVWriter;
import dev.zbatch.ledger.ImageRecord;
import dev.zbatch.ledger.LedgerRow;
import dev.zbatch.ledger.RowState;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Renders the manifests from the ledger: {@code manifest.jsonl} (one line per input row) and
 * {@code manifest.csv} (one line per image; a row without an image gets one line with its reason). Both are
 * written beside their final names and then moved over them, so a reader never sees half a manifest.
 */
public final class ManifestWriter implements Closeable {

    static final String[] CSV_HEADER = {"row", "line", "id", "state", "file", "bytes", "sha256", "width", "height",
            "content_type", "mismatch", "seed", "provider", "account", "model", "request_id", "cost_usd", "error", "prompt"};

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path outputDir;
    private final Path jsonlPart;
    private final Path csvPart;
    private final Path removedPart;
    private final BufferedWriter jsonOut;
    private final BufferedWriter removedOut;
    private final CSVWriter csvOut;
    private boolean closed;

    private ManifestWriter(Path outputDir) throws IOException {
        this.outputDir = outputDir;
        this.jsonlPart = outputDir.resolve(".manifest.jsonl.part");
        this.csvPart = outputDir.resolve(".manifest.csv.part");
        this.removedPart = outputDir.resolve(".removed.jsonl.part");
        this.jsonOut = Files.newBufferedWriter(jsonlPart, StandardCharsets.UTF_8);
        this.removedOut = Files.newBufferedWriter(removedPart, StandardCharsets.UTF_8);
        this.csvOut = new CSVWriter(Files.newBufferedWriter(csvPart, StandardCharsets.UTF_8));
        csvOut.writeNext(CSV_HEADER, false);
    }

    /** Whether the folder holds every file a rendering writes (a user may have deleted one). */
    static boolean present(Path outputDir) {
        for (String name : List.of("manifest.jsonl", "manifest.csv", "removed.jsonl")) {
            if (!Files.isRegularFile(outputDir.resolve(name))) return false;
        }
        return true;
    }

    /** Starts both manifests beside their final names; {@link #add} each row, then {@link #finish}. */
    static ManifestWriter open(Path outputDir) {
        try {
            return new ManifestWriter(outputDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest in " + outputDir, e);
        }
    }

    /** @param earlier the row's earlier versions (its request changed since), with the images they left */
    void add(LedgerRow row, List<LedgerRow> earlier) {
        writeJsonLine(jsonOut, row, earlier);
        writeCsvLines(csvOut, row);
    }

    /** A row whose key the input no longer has: listed in {@code removed.jsonl}, with its files (still on disk). */
    void addRemoved(LedgerRow row) {
        writeJsonLine(removedOut, row, List.of());
    }

    /** Moves both manifests over their final names. */
    void finish() {
        close();
        try {
            Files.move(jsonlPart, outputDir.resolve("manifest.jsonl"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            Files.move(csvPart, outputDir.resolve("manifest.csv"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            Files.move(removedPart, outputDir.resolve("removed.jsonl"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest in " + outputDir, e);
        }
    }

    /** Closes the part files (once: {@link #finish} has closed them already). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            jsonOut.close();
            csvOut.close();
            removedOut.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest in " + outputDir, e);
        }
    }

    /** Why a row has no image, in words a person can act on; null when it has its images. */
    public static String reason(LedgerRow row) {
        if (row.state() == RowState.COMPLETED) return null;
        String where = row.errorField() == null ? "" : "field '" + row.errorField() + "': ";
        if (row.error() != null) return where + row.error();
        return switch (row.state()) {
            case PENDING -> "not sent yet: the run stopped before this row; run the same command again";
            case SUBMITTING, SUBMITTED -> "in flight: run the same command again to collect it";
            case DUPLICATE -> "the same request as row " + row.duplicateOf() + ", whose images it gets once that row "
                    + "has them";
            default -> row.state().name().toLowerCase();
        };
    }

    private static void writeJsonLine(Writer out, LedgerRow row, List<LedgerRow> earlier) {
        ObjectNode node = JSON.createObjectNode();
        node.put("row", row.ordinal());
        node.put("line", row.line());
        node.put("id", row.displayId());
        node.put("state", row.state().name());
        node.put("prompt", row.prompt());
        node.set("params", params(row.requestJson()));
        node.put("provider", row.provider());
        node.put("account", row.account()); // null until it is sent
        node.put("model", row.model());
        node.put("request_id", row.requestId());
        if (row.seed() != null) node.put("seed", row.seed()); else node.putNull("seed");
        node.put("cost_usd", row.costUsd());
        node.put("attempts", row.attempts());
        if (row.duplicateOf() != null) node.put("copied_from_row", row.duplicateOf());
        if (row.cachedFrom() != null) node.put("from_cache", row.cachedFrom());
        node.put("error", reason(row));
        images(node.putArray("images"), row);
        if (!earlier.isEmpty()) {
            // what the row's earlier requests made (and cost): kept on disk until the user prunes them
            ArrayNode versions = node.putArray("replaced");
            for (LedgerRow version : earlier) {
                ObjectNode v = versions.addObject();
                v.put("state", version.state().name());
                v.put("prompt", version.prompt());
                v.put("cost_usd", version.costUsd());
                images(v.putArray("images"), version);
            }
        }
        try {
            out.write(JSON.writeValueAsString(node));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void images(ArrayNode images, LedgerRow row) {
        for (ImageRecord image : row.images()) {
            ObjectNode i = images.addObject();
            i.put("file", image.file());
            i.put("bytes", image.bytes());
            i.put("sha256", image.sha256());
            i.put("width", image.width());
            i.put("height", image.height());
            i.put("content_type", image.contentType());
            if (image.mismatch() != null) i.put("mismatch", image.mismatch());
        }
    }

    /** The request's parameters without what the manifest line already says (provider, model, prompt). */
    private static JsonNode params(String requestJson) {
        if (requestJson == null) return JSON.nullNode();
        ObjectNode params = (ObjectNode) JSON.readTree(requestJson);
        params.remove("provider");
        params.remove("model");
        params.remove("prompt");
        return params;
    }

    private static void writeCsvLines(CSVWriter out, LedgerRow row) {
        String seed = row.seed() == null ? "" : row.seed().toString();
        String cost = row.costUsd() == null ? "" : row.costUsd().toPlainString();
        String reason = reason(row);
        if (row.images().isEmpty()) {
            out.writeNext(new String[]{Long.toString(row.ordinal()), Long.toString(row.line()), row.displayId(),
                    row.state().name(), "", "", "", "", "", "", "", seed, row.provider(), nullToEmpty(row.account()), row.model(),
                    nullToEmpty(row.requestId()), cost, nullToEmpty(reason), nullToEmpty(row.prompt())}, false);
            return;
        }
        for (ImageRecord image : row.images()) {
            out.writeNext(new String[]{Long.toString(row.ordinal()), Long.toString(row.line()), row.displayId(),
                    row.state().name(), image.file(), Long.toString(image.bytes()), image.sha256(),
                    Integer.toString(image.width()), Integer.toString(image.height()), image.contentType(), nullToEmpty(image.mismatch()), seed,
                    row.provider(), nullToEmpty(row.account()), row.model(), nullToEmpty(row.requestId()), cost, nullToEmpty(reason),
                    nullToEmpty(row.prompt())}, false);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
