package dev.zbatch.output;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.zbatch.ledger.ImageRecord;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.LedgerRow;
import dev.zbatch.ledger.RowState;
import dev.zbatch.ledger.RunInfo;
import dev.zbatch.ledger.RunProgress;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.io.UncheckedIOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders {@code index.html}, the gallery, from the ledger: the run's summary, state filters, a grid of the rows
 * with images, and a table of the rows without, with their reasons. One self-contained file that works from
 * {@code file://}. Rows are streamed through templates (the rows without images into a second part file that is
 * appended at the end), so memory stays flat for any number of rows. Each part shows its first
 * {@value #SHOWN_PER_PART} rows and says how many more the manifests hold: a page of a million rows would be
 * hundreds of megabytes, more than a browser opens.
 * <p>
 * Every value from a row goes through the templates' HTML escaping, image paths are also percent-encoded, and a
 * Content-Security-Policy lets only the page's own script run, so a prompt cannot run script in the page.
 */
public final class Gallery implements Closeable {

    static final String FILE_NAME = "index.html";
    static final int SHOWN_PER_PART = 10_000;
    /** The last line of the page's head (see head.mustache): what follows it is rendered from the rows alone. */
    private static final byte[] ROWS_BELOW = "<!-- zbatch: rows below -->\n".getBytes(StandardCharsets.UTF_8);
    private static final int HEAD_AT_MOST = 1 << 20;

    private static final Mustache.Compiler COMPILER = Mustache.compiler().nullValue("");
    private static final Template HEAD = template("head");
    private static final Template IMAGE_CARD = template("image-card");
    private static final Template WITHOUT_IMAGES_HEAD = template("without-images-head");
    private static final Template ROW_WITHOUT_IMAGES = template("row-without-images");
    private static final Template TAIL = template("tail");
    private static final Template MORE_IMAGES = template("more-images");
    private static final Template MORE_WITHOUT_IMAGES = template("more-without-images");
    private static final String SCRIPT = resource("filter.js");
    private static final String SCRIPT_HASH = "sha256-" + Base64.getEncoder().encodeToString(sha256(SCRIPT));

    private final Path outputDir;
    private final Path pagePart;
    private final Path withoutImagesPart;
    private final BufferedWriter out;
    private final BufferedWriter withoutImages;
    private final int shownPerPart;
    private long withImagesSeen;
    private long withoutImagesSeen;

    private Gallery(Ledger ledger, RunInfo run, Path outputDir, int shownPerPart) throws IOException {
        this.outputDir = outputDir;
        this.shownPerPart = shownPerPart;
        this.pagePart = outputDir.resolve("." + FILE_NAME + ".part");
        this.withoutImagesPart = outputDir.resolve("." + FILE_NAME + ".without-images.part");
        this.out = Files.newBufferedWriter(pagePart, StandardCharsets.UTF_8);
        this.withoutImages = Files.newBufferedWriter(withoutImagesPart, StandardCharsets.UTF_8);
        HEAD.execute(summary(ledger, run), out);
    }

    /** Starts the page beside its final name, with the run's summary; {@link #add} each row, then {@link #finish}. */
    static Gallery open(Ledger ledger, RunInfo run, Path outputDir) {
        return open(ledger, run, outputDir, SHOWN_PER_PART);
    }

    static Gallery open(Ledger ledger, RunInfo run, Path outputDir, int shownPerPart) {
        try {
            return new Gallery(ledger, run, outputDir, shownPerPart);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the gallery in " + outputDir, e);
        }
    }

    /**
     * Writes the page again with a new summary over the rows it shows already, for a rendering whose rows have not
     * changed since the page was written. False when there is no such page to start from (none, or one without the
     * head's last line).
     */
    static boolean refreshSummary(Ledger ledger, RunInfo run, Path outputDir) {
        Path page = outputDir.resolve(FILE_NAME);
        Path part = outputDir.resolve("." + FILE_NAME + ".part");
        if (!Files.isRegularFile(page)) return false;
        try (InputStream old = Files.newInputStream(page)) {
            byte[] start = old.readNBytes(HEAD_AT_MOST);
            int rowsAt = indexOf(start, ROWS_BELOW);
            if (rowsAt < 0) return false;
            try (OutputStream out = Files.newOutputStream(part)) {
                Writer head = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                HEAD.execute(summary(ledger, run), head);
                head.flush();
                int rows = rowsAt + ROWS_BELOW.length;
                out.write(start, rows, start.length - rows);
                old.transferTo(out);
            }
            Files.move(part, page, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            deleteQuietly(part);
            throw new UncheckedIOException("cannot write the gallery in " + outputDir, e);
        }
    }

    private static int indexOf(byte[] bytes, byte[] wanted) {
        outer:
        for (int i = 0; i + wanted.length <= bytes.length; i++) {
            for (int j = 0; j < wanted.length; j++) {
                if (bytes[i + j] != wanted[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    /** @param earlier the row's earlier versions (its request changed since), with the images they left */
    void add(LedgerRow row, List<LedgerRow> earlier) {
        if (row.images().isEmpty()) {
            if (withoutImagesSeen++ < shownPerPart) {
                ROW_WITHOUT_IMAGES.execute(new RowView(row, earlier), withoutImages);
            }
        } else {
            if (withImagesSeen++ < shownPerPart) IMAGE_CARD.execute(new RowView(row, earlier), out);
        }
    }

    /** Appends the rows without images and moves the page over {@code index.html}. */
    void finish() {
        try {
            if (withoutImagesSeen > shownPerPart) {
                MORE_WITHOUT_IMAGES.execute(more(withoutImagesSeen - shownPerPart), withoutImages);
            }
            withoutImages.close();
            if (withImagesSeen > shownPerPart) MORE_IMAGES.execute(more(withImagesSeen - shownPerPart), out);
            WITHOUT_IMAGES_HEAD.execute(Map.of(), out);
            try (Reader spilled = Files.newBufferedReader(withoutImagesPart, StandardCharsets.UTF_8)) {
                spilled.transferTo(out);
            }
            TAIL.execute(Map.of("script", SCRIPT), out);
            out.close();
            Files.move(pagePart, outputDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the gallery in " + outputDir, e);
        }
    }

    /** Closes and removes the part files (after {@link #finish}, only the spilled rows are left to remove). */
    @Override
    public void close() {
        try {
            out.close();
            withoutImages.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the gallery in " + outputDir, e);
        } finally {
            deleteQuietly(withoutImagesPart);
            deleteQuietly(pagePart);
        }
    }

    private static Map<String, Object> more(long rows) {
        return Map.of("more", rows, "rows", rows == 1 ? "row" : "rows");
    }

    private static Map<String, Object> summary(Ledger ledger, RunInfo run) {
        RunProgress progress = ledger.progress();
        List<StateCount> counts = new ArrayList<>();
        for (RowState state : RowState.values()) {
            long n = progress.count(state);
            if (n > 0) counts.add(new StateCount(state.name(), state.name().toLowerCase(Locale.ROOT), n));
        }
        BigDecimal spent = progress.spent();
        Map<String, Object> reconciliation = run.lastReconciliation() == null ? Map.of()
                : Map.of("last", run.lastReconciliation());
        return Map.of("run", run, "rows", progress.rows(), "inputReadToTheEnd", run.rowsRead() != null,
                "counts", counts, "images", progress.images(), "reconciliation", reconciliation,
                "mismatched", progress.mismatched() == 0 ? List.of() : List.of(progress.mismatched()),
                "spent", SpendWords.isSandbox(run.provider()) ? SpendWords.of(spent, true)
                        : "$" + spent.setScale(Math.max(2, spent.stripTrailingZeros().scale())).toPlainString(),
                "scriptHash", SCRIPT_HASH);
    }

    /**
     * A path relative to the output folder as a relative URL: each segment percent-encoded, so that no file
     * name can end the attribute, start a scheme ("javascript:") or be read as a query or fragment.
     */
    static String relativeUrl(String file) {
        StringBuilder url = new StringBuilder();
        for (String segment : file.split("/", -1)) {
            if (url.length() > 0) url.append('/');
            url.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return url.toString();
    }

    record StateCount(String state, String label, long count) {
    }

    /** @param mismatch how the image differs from its request, or null */
    record ImageView(int imageNo, String src, int width, int height, String id, String mismatch) {
    }

    /** What the row templates show of a ledger row. */
    static final class RowView {
        final long rowNo;
        final long line;
        final List<ImageView> earlier = new ArrayList<>();
        final String id;
        final String state;
        final String prompt;
        final String reason;
        final List<ImageView> images = new ArrayList<>();

        RowView(LedgerRow row, List<LedgerRow> earlierVersions) {
            rowNo = row.ordinal();
            line = row.line();
            id = row.displayId();
            state = row.state().name();
            prompt = row.prompt();
            reason = ManifestWriter.reason(row);
            for (ImageRecord image : row.images()) {
                images.add(new ImageView(image.imageNo(), relativeUrl(image.file()), image.width(), image.height(),
                        id, image.mismatch()));
            }
            for (LedgerRow version : earlierVersions) {
                for (ImageRecord image : version.images()) {
                    earlier.add(new ImageView(image.imageNo(), relativeUrl(image.file()), image.width(),
                            image.height(), id, image.mismatch()));
                }
            }
        }
    }

    private static Template template(String name) {
        return COMPILER.compile(resource(name + ".mustache"));
    }

    private static String resource(String name) {
        try (InputStream in = Gallery.class.getResourceAsStream("/gallery/" + name)) {
            if (in == null) throw new IllegalStateException("missing resource gallery/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover part file has a fixed name: the next gallery overwrites it
        }
    }
}
