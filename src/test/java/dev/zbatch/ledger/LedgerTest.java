package dev.zbatch.ledger;

import com.zaxxer.hikari.HikariDataSource;
import dev.zbatch.config.ConfigException;
import dev.zbatch.provider.Submission;
import dev.zbatch.reconcile.Reconciler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerTest {

    @TempDir
    Path dir;

    private HikariDataSource dataSource;
    private Ledger ledger;

    @BeforeEach
    void open() {
        dataSource = LedgerDatabase.open(dir);
        ledger = Ledger.openRun(dataSource, Clock.systemUTC(), "job", "/in.csv", "sandbox", "z-image-turbo");
    }

    private final List<NewRow> input = new java.util.ArrayList<>();
    private int pass;

    /** A whole input, reconciled with the ledger as a run reconciles it (new keys get ledger numbers 1, 2, …). */
    private void reconcile(List<NewRow> wholeInput) {
        Reconciler reconciler = new Reconciler(ledger.intake(), ++pass, true);
        reconciler.accept(wholeInput);
        reconciler.finish(true);
    }

    /** These rows added at the end of the input, then the input reconciled. */
    private void append(List<NewRow> rows) {
        input.addAll(rows);
        reconcile(input);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    private static NewRow pending(long rowNo, String id, String stem) {
        return pending(rowNo, id, stem, 1);
    }

    private static NewRow pending(long rowNo, String id, String stem, int images) {
        return NewRow.pending(id != null ? "id:" + id : "row:" + rowNo, rowNo, rowNo + 1, id, stem, "prompt " + rowNo,
                "{}", "h" + rowNo, false, images);
    }

    @Test
    void reconcilingTheSameRowsAgainKeepsTheirState() {
        reconcile(List.of(pending(1, null, "a"), pending(2, null, "b")));
        ledger.markSubmitting(1, BigDecimal.ONE, "test");
        ledger.markSubmitted(1, new Submission("req-1", URI.create("http://x/s"), null, null), Instant.now(),
                BigDecimal.ONE);

        reconcile(List.of(pending(1, null, "a"), pending(2, null, "b"), pending(3, null, "c")));

        assertThat(ledger.row(1).orElseThrow().state()).isEqualTo(RowState.SUBMITTED);
        assertThat(ledger.row(2).orElseThrow().state()).isEqualTo(RowState.PENDING);
        assertThat(ledger.row(3).orElseThrow().state()).isEqualTo(RowState.PENDING);
        assertThat(ledger.row(1).orElseThrow().requestId()).isEqualTo("req-1");
        assertThat(ledger.progress().counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
    }

    @Test
    void duePollsListsTheRowsDueSoonestFirstWithWhatCollectingThemNeeds() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        List<NewRow> rows = new java.util.ArrayList<>();
        for (long rowNo = 1; rowNo <= 5; rowNo++) rows.add(pending(rowNo, rowNo == 5 ? "sku-5" : null, "r" + rowNo));
        append(rows);
        long[] secondsFromNow = {-3, 7, -1, 4, -2}; // rows 1, 3 and 5 are due
        for (long rowNo = 1; rowNo <= 5; rowNo++) {
            ledger.markSubmitting(rowNo, BigDecimal.ONE, "test");
            ledger.markSubmitted(rowNo, new Submission("req-" + rowNo, URI.create("http://x/s" + rowNo), null, null),
                    now.plusSeconds(secondsFromNow[(int) rowNo - 1]), BigDecimal.ONE);
        }

        DueRows all = ledger.duePolls(now, 10);
        assertThat(all.rows()).extracting(InFlightRow::rowNo).containsExactly(1L, 5L, 3L);
        assertThat(all.next()).as("row 4 comes due next").isEqualTo(now.plusSeconds(4));
        DueRows cut = ledger.duePolls(now, 2);
        assertThat(cut.rows()).extracting(InFlightRow::rowNo).containsExactly(1L, 5L);
        assertThat(cut.next()).as("row 3, due already, was left out").isEqualTo(now.minusSeconds(1));
        DueRows later = ledger.duePolls(now.plusSeconds(60), 10);
        assertThat(later.rows()).hasSize(5);
        assertThat(later.next()).as("nothing else in flight").isNull();

        List<InFlightRow> due = all.rows();
        LedgerRow five = ledger.row(5).orElseThrow();
        assertThat(due.get(1)).returns("sku-5", InFlightRow::displayId)
                .returns(five.requestJson(), InFlightRow::requestJson)
                .returns(five.fileStem(), InFlightRow::fileStem)
                .returns("sandbox", InFlightRow::provider).returns("z-image-turbo", InFlightRow::model)
                .returns("req-5", InFlightRow::requestId).returns("http://x/s5", InFlightRow::pollUrl);
        assertThat(due.get(0).displayId()).as("no id column: the line").isEqualTo(Long.toString(ledger.row(1).orElseThrow().line()));
    }

    @Test
    void aRepeatedIdIsRejectedNamingTheFirstLine() {
        append(List.of(pending(1, "sku-1", "sku-1"), pending(2, "sku-1", "sku-1")));
        append(List.of(pending(3, "sku-1", "sku-1")));

        assertThat(ledger.row(2).orElseThrow().state()).isEqualTo(RowState.REJECTED);
        LedgerRow third = ledger.row(3).orElseThrow();
        assertThat(third.state()).isEqualTo(RowState.REJECTED);
        assertThat(third.error()).contains("duplicate id 'sku-1'").contains("line 2");
        assertThat(third.errorField()).isEqualTo("id");
    }

    @Test
    void fileStemsNeverCollideEvenIgnoringCase() {
        append(List.of(pending(1, null, "Fox"), pending(2, null, "fox")));
        append(List.of(pending(3, null, "FOX")));

        assertThat(ledger.row(1).orElseThrow().fileStem()).isEqualTo("Fox");
        assertThat(ledger.row(2).orElseThrow().fileStem()).isEqualTo("fox-2");
        assertThat(ledger.row(3).orElseThrow().fileStem()).isEqualTo("FOX-3");
    }

    @Test
    void aRowWithSeveralImagesNeverSharesAFileNameWithAnotherRow() {
        // "cat" with 2 images writes cat-1 and cat-2: a later row asking for "cat-2" must not get it…
        append(List.of(pending(1, null, "cat", 2), pending(2, null, "cat-2", 1)));
        // …and a row asking for "dog-1" first keeps a later two-image "dog" from writing dog-1
        append(List.of(pending(3, null, "dog-1", 1)));
        append(List.of(pending(4, null, "dog", 2)));

        assertThat(ledger.row(1).orElseThrow().fileStem()).isEqualTo("cat");
        assertThat(ledger.row(2).orElseThrow().fileStem()).isEqualTo("cat-2-2");
        assertThat(ledger.row(3).orElseThrow().fileStem()).isEqualTo("dog-1");
        assertThat(ledger.row(4).orElseThrow().fileStem()).isEqualTo("dog-2"); // writes dog-2-1, dog-2-2
    }

    @Test
    void aChargedAttemptStillCountsAfterItsRowIsRequeuedOrSkipped() {
        append(List.of(pending(1, null, "a"), pending(2, null, "b")));
        Submission s = new Submission("req-1", URI.create("http://x/s"), null, null);
        ledger.markSubmitting(1, new BigDecimal("0.10"), "test");
        ledger.markSubmitted(1, s, Instant.now(), new BigDecimal("0.10"));
        ledger.markFailed(1, "blocked");
        ledger.markSubmitting(2, new BigDecimal("0.10"), "test");
        ledger.returnToPending(2, new BigDecimal("0.10")); // never left: not charged

        ledger.requeue(List.of(RowState.FAILED)); // retry --failed: row 1 is PENDING again
        ledger.markSkipped(1, "budget");

        assertThat(ledger.committedSpend()).isEqualByComparingTo("0.10");
        ledger.markSubmitting(2, new BigDecimal("0.10"), "test");
        assertThat(ledger.committedSpend()).isEqualByComparingTo("0.20");
    }

    @Test
    void transitionsOnlyMoveFromTheExpectedState() {
        append(List.of(pending(1, null, "a")));
        Submission s = new Submission("req-1", URI.create("http://x/s"), URI.create("http://x/r"), null);

        assertThat(ledger.markSubmitted(1, s, Instant.now(), BigDecimal.ONE)).isFalse(); // not SUBMITTING yet
        assertThat(ledger.markSubmitting(1, BigDecimal.ONE, "test")).isTrue();
        assertThat(ledger.markSubmitting(1, BigDecimal.ONE, "test")).isFalse();
        assertThat(ledger.markSubmitted(1, s, Instant.now(), BigDecimal.ONE)).isTrue();
        assertThat(ledger.markCompleted(1, List.of(new ImageRecord(1, "images/a.png", 10, "0".repeat(64),
                8, 8, "image/png")), 99L)).isTrue();
        assertThat(ledger.markFailed(1, "late answer")).isFalse(); // COMPLETED stays COMPLETED

        LedgerRow row = ledger.row(1).orElseThrow();
        assertThat(row.state()).isEqualTo(RowState.COMPLETED);
        assertThat(row.seed()).isEqualTo(99L);
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.images()).extracting(ImageRecord::file).containsExactly("images/a.png");
    }

    @Test
    void rowsLeftSubmittingByADeadProcessBecomeUnknown() {
        append(List.of(pending(1, null, "a"), pending(2, null, "b")));
        ledger.markSubmitting(1, BigDecimal.ONE, "test");

        assertThat(ledger.markInterruptedSubmissionsUnknown()).isEqualTo(1);

        LedgerRow row = ledger.row(1).orElseThrow();
        assertThat(row.state()).isEqualTo(RowState.UNKNOWN);
        assertThat(row.error()).contains("may have accepted");
        assertThat(ledger.row(2).orElseThrow().state()).isEqualTo(RowState.PENDING);
    }

    @Test
    void committedStateSurvivesReopeningTheDatabaseFile() {
        append(List.of(pending(1, null, "a")));
        ledger.markSubmitting(1, BigDecimal.ONE, "test");
        ledger.markSubmitted(1, new Submission("req-9", URI.create("http://x/s"), null, null), Instant.now(),
                BigDecimal.ONE);
        dataSource.close();

        dataSource = LedgerDatabase.open(dir);
        ledger = Ledger.existing(dataSource, Clock.systemUTC()).orElseThrow();

        assertThat(ledger.row(1).orElseThrow().requestId()).isEqualTo("req-9");
    }

    @Test
    void aRequestIdIsInTheFileTheMomentItIsRecorded() throws Exception {
        append(List.of(pending(1, null, "a"), pending(2, null, "b")));
        ledger.markSubmitting(1, BigDecimal.ONE, "test");
        ledger.markSubmitted(1, new Submission("req-1", URI.create("http://x/s"), null, null), Instant.now(),
                BigDecimal.ONE);
        ledger.markSubmitting(2, BigDecimal.ONE, "test");

        // the file as a kill -9 would leave it now, with the database still open
        Path killed = Files.createDirectories(dir.resolve("after-kill"));
        Files.copy(dir.resolve("zbatch.mv.db"), killed.resolve("zbatch.mv.db"));
        Files.copy(dir.resolve(LedgerKey.FILE), killed.resolve(LedgerKey.FILE));
        try (HikariDataSource copy = LedgerDatabase.open(killed)) {
            Ledger reopened = Ledger.existing(copy, Clock.systemUTC()).orElseThrow();
            assertThat(reopened.row(1).orElseThrow().requestId()).isEqualTo("req-1");
            assertThat(reopened.row(2).orElseThrow().state()).as("about to be sent").isEqualTo(RowState.SUBMITTING);
        }
    }

    @Test
    void anOutputFolderHoldsOneRun() {
        long runId = ledger.run().runId();
        assertThatThrownBy(() -> Ledger.openRun(dataSource, Clock.systemUTC(), "other", "/x.csv", "sandbox",
                "z-image-turbo"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("already holds the run of job 'job'");
        RunInfo tonight = Ledger.openRun(dataSource, Clock.systemUTC(), "job", "/exports/products-2026-12-04.csv",
                "sandbox", "z-image-turbo").run();
        assertThat(tonight.runId()).as("the same job on tonight's file is the same run").isEqualTo(runId);
        assertThat(tonight.inputPath()).as("the file it follows now").isEqualTo("/exports/products-2026-12-04.csv");
    }
}
