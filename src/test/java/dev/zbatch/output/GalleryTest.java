package dev.zbatch.output;

import com.zaxxer.hikari.HikariDataSource;
import dev.zbatch.ledger.ImageRecord;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.LedgerDatabase;
import dev.zbatch.ledger.NewRow;
import dev.zbatch.reconcile.Reconciler;
import dev.zbatch.ledger.RunInfo;
import dev.zbatch.provider.Submission;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class GalleryTest {

    private static final String SCRIPT_PROMPT = "<script>alert(1)</script>";
    private static final String HOSTILE_ID = "\"><img src=x onerror=alert(2)>";
    private static final String HOSTILE_FILE = "images/a\" onerror=\"alert(3) <b>&#?.png";

    @TempDir
    Path dir;

    private HikariDataSource dataSource;
    private Ledger ledger;
    private RunInfo run;

    @BeforeEach
    void open() {
        dataSource = LedgerDatabase.open(dir.resolve(".zbatch"));
        ledger = Ledger.openRun(dataSource, Clock.systemUTC(), "<i>job</i>", "in.csv", "sandbox", "z-image-turbo");
        run = ledger.run();
    }

    /** The input these rows make, reconciled with the ledger as a run does it (ledger numbers 1, 2, … in order). */
    private void enter(List<NewRow> rows) {
        Reconciler reconciler = new Reconciler(ledger.intake(), 1, true);
        reconciler.accept(rows);
        reconciler.finish(true);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void rowContentIsShownAsTextAndNeverAsMarkup() throws Exception {
        enter(List.of(
                NewRow.pending("row:1", 1, 2, HOSTILE_ID, "a", SCRIPT_PROMPT, "{}", "h1", false, 1),
                NewRow.rejected("row:2", 2, 3, null, "<b>bold</b>", "width", "<script>alert(4)</script>"),
                NewRow.pending("row:3", 3, 4, null, "c", "a lamp", "{}", "h3", false, 1)));
        complete(1, HOSTILE_FILE);
        submit(3);
        ledger.markFailed(3, "</td><script>alert(5)</script>");

        Reports.write(ledger, dir);

        String html = Files.readString(dir.resolve("index.html"));
        assertThat(Pattern.compile("<script", Pattern.CASE_INSENSITIVE).matcher(html).results().count())
                .as("only the gallery's own script").isEqualTo(1);
        assertThat(html).doesNotContain("<img src=x").doesNotContain("<b>").doesNotContain("<i>job")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("&lt;/td&gt;&lt;script&gt;alert(5)&lt;/script&gt;")
                .contains("&lt;script&gt;alert(4)&lt;/script&gt;");
        assertThat(imageSources(html))
                .containsExactly("images/a%22%20onerror%3D%22alert%283%29%20%3Cb%3E%26%23%3F.png");
        assertThat(html).doesNotContain("http:").doesNotContain("https:");
    }

    @Test
    void showsTheSummaryAFilterPerStateAndEveryRowOnce() throws Exception {
        enter(List.of(
                NewRow.pending("row:1", 1, 2, "fox", "fox", "a fox", "{}", "h1", false, 1),
                NewRow.pending("row:2", 2, 3, "owl", "owl", "an owl", "{}", "h2", false, 1),
                NewRow.rejected("row:3", 3, 4, "bad", "too wide", "width", "4096 is outside 256–2048"),
                NewRow.pending("row:4", 4, 5, "later", "later", "not sent", "{}", "h4", false, 1)));
        complete(1, "images/fox.png");
        complete(2, "images/owl.png");

        Reports.write(ledger, dir);

        String html = Files.readString(dir.resolve("index.html"));
        assertThat(html).contains("<dt>states</dt><dd>1 pending, 2 completed, 1 rejected</dd>")
                .contains("<dt>images</dt><dd>2</dd>")
                .contains("<dt>spent</dt><dd>$0 charged (≈$0.04 at the price of a real provider)</dd>")
                .contains("<dt>provider</dt><dd>sandbox z-image-turbo</dd>")
                .contains("href=\"#state=REJECTED\"").contains("href=\"#state=PENDING\"")
                .doesNotContain("#state=FAILED");
        assertThat(imageSources(html)).containsExactly("images/fox.png", "images/owl.png");
        assertThat(html).contains("loading=\"lazy\"");
        assertThat(html).contains("4096 is outside 256–2048").contains("not sent yet");
        assertThat(Pattern.compile("class=\"[^\"]*item").matcher(html).results().count()).isEqualTo(4);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(".index.html.part")
                    .noneMatch(name -> name.endsWith(".part"));
        }
    }

    @Test
    void readingAnUnchangedInputAgainWritesOnlyTheGallerysSummaryAndAChangedRowWritesEverything() throws Exception {
        enter(List.of(
                NewRow.pending("row:1", 1, 2, "fox", "fox", "a fox", "{}", "h1", false, 1),
                NewRow.pending("row:2", 2, 3, "owl", "owl", "an owl", "{}", "h2", false, 1)));
        complete(1, "images/fox.png");
        Reports.write(ledger, dir);
        Object manifestFile = Files.readAttributes(dir.resolve("manifest.jsonl"), BasicFileAttributes.class).fileKey();
        String manifest = Files.readString(dir.resolve("manifest.jsonl"));

        ledger.recordReconciliation(2, 2, 0, 0, 2, 0, 0); // the same input read again: no row changed
        Reports.write(ledger, dir);

        assertThat(Files.readAttributes(dir.resolve("manifest.jsonl"), BasicFileAttributes.class).fileKey())
                .as("the manifest was not written again").isEqualTo(manifestFile);
        String html = Files.readString(dir.resolve("index.html"));
        assertThat(html).contains("<dt>last reading</dt><dd>0 new, 0 changed, 2 unchanged")
                .contains("<dt>states</dt><dd>1 pending, 1 completed</dd>");
        assertThat(imageSources(html)).containsExactly("images/fox.png");
        assertThat(html.indexOf("<!-- zbatch: rows below -->")).isEqualTo(html.lastIndexOf("<!-- zbatch: rows below -->"));
        assertThat(html).contains("an owl").endsWith("</html>\n");

        submit(2);
        ledger.markFailed(2, "the provider refused it");
        Reports.write(ledger, dir);

        assertThat(Files.readString(dir.resolve("manifest.jsonl"))).isNotEqualTo(manifest)
                .contains("the provider refused it");
        assertThat(Files.readString(dir.resolve("index.html"))).contains("the provider refused it")
                .contains("<dt>states</dt><dd>1 completed, 1 failed</dd>");

        Files.delete(dir.resolve("manifest.csv"));
        Reports.write(ledger, dir);
        assertThat(dir.resolve("manifest.csv")).as("a deleted manifest is written again").exists();
    }

    @Test
    void eachPartShowsItsFirstRowsAndSaysHowManyMoreTheManifestsHold() throws Exception {
        enter(List.of(
                NewRow.pending("row:1", 1, 2, "fox", "fox", "a fox", "{}", "h1", false, 1),
                NewRow.pending("row:2", 2, 3, "owl", "owl", "an owl", "{}", "h2", false, 1),
                NewRow.pending("row:3", 3, 4, "elk", "elk", "an elk", "{}", "h3", false, 1),
                NewRow.rejected("row:4", 4, 5, "wide", "too wide", "width", "4096 is outside 256–2048"),
                NewRow.rejected("row:5", 5, 6, "tall", "too tall", "height", "4096 is outside 256–2048"),
                NewRow.rejected("row:6", 6, 7, "odd", "odd", "width", "1001 is not a multiple of 8")));
        complete(1, "images/fox.png");
        complete(2, "images/owl.png");
        complete(3, "images/elk.png");

        try (Gallery gallery = Gallery.open(ledger, run, dir, 2)) {
            ledger.forEachRow(row -> gallery.add(row, List.of()));
            gallery.finish();
        }

        String html = Files.readString(dir.resolve("index.html"));
        assertThat(imageSources(html)).containsExactly("images/fox.png", "images/owl.png");
        assertThat(html).contains("1 more row with images not shown here; manifest.jsonl and manifest.csv list "
                + "every row.").contains(">1 more row without images not shown here;");
        assertThat(Pattern.compile("class=\"[^\"]*item").matcher(html).results().count()).isEqualTo(4);
        assertThat(html).contains("too wide").contains("too tall").doesNotContain("odd")
                .contains("<dt>states</dt><dd>3 completed, 3 rejected</dd>");
    }

    @Test
    void fileNamesBecomeUrlSafeRelativePaths() {
        assertThat(Gallery.relativeUrl("images/fox.png")).isEqualTo("images/fox.png");
        assertThat(Gallery.relativeUrl("images/ताज महल #1?.png"))
                .isEqualTo("images/%E0%A4%A4%E0%A4%BE%E0%A4%9C%20%E0%A4%AE%E0%A4%B9%E0%A4%B2%20%231%3F.png");
        assertThat(Gallery.relativeUrl("javascript:alert(1)")).isEqualTo("javascript%3Aalert%281%29");
    }

    private void submit(long rowNo) {
        ledger.markSubmitting(rowNo, new BigDecimal("0.02"), "test");
        ledger.markSubmitted(rowNo, new Submission("req-" + rowNo, URI.create("http://x/s"), null, null),
                Instant.now(), new BigDecimal("0.02"));
    }

    private void complete(long rowNo, String file) {
        submit(rowNo);
        ledger.markCompleted(rowNo, List.of(new ImageRecord(1, file, 10, "00", 256, 256, "image/png")),
                null);
    }

    private static List<String> imageSources(String html) {
        Matcher m = Pattern.compile("<img [^>]*src=\"([^\"]*)\"").matcher(html);
        return m.results().map(r -> r.group(1)).toList();
    }
}
