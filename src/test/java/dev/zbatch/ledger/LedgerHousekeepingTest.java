package dev.zbatch.ledger;

import com.zaxxer.hikari.HikariDataSource;
import dev.zbatch.provider.Submission;
import dev.zbatch.reconcile.Reconciler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerHousekeepingTest {

    private static final int ROWS = 3000;

    @TempDir
    Path dir;

    @Test
    void theLedgerFileGrowsFarLessWhileARunCommitsRowAfterRow() throws Exception {
        long[] without = fileSizesDuringARun(dir.resolve("without"), false);
        long[] with = fileSizesDuringARun(dir.resolve("with"), true);

        // every commit appends a chunk to the file; without housekeeping none is freed while the file is open
        long grownWithout = without[1] - without[0];
        assertThat(grownWithout).as("growth without housekeeping").isGreaterThan(without[0]);
        // with it, the rest of the run mostly reuses the space of chunks freed along the way
        assertThat(with[1] - with[0]).as("growth with housekeeping, against %d without", grownWithout)
                .isLessThan(grownWithout / 4);
    }

    @Test
    void aServedLedgerIsLeftToTheProcessThatHoldsIt() {
        HikariDataSource dataSource = LedgerDatabase.open(dir);
        try (LedgerServer server = LedgerServer.start(dir);
             HikariDataSource served = LedgerDatabase.openShared(dir);
             LedgerHousekeeping housekeeping = LedgerHousekeeping.start(served)) {
            assertThat(LedgerDatabase.isServed(served)).isTrue();
            assertThat(housekeeping.compacting()).isFalse();
        } finally {
            dataSource.close();
        }
    }

    /**
     * Rows through PENDING, SUBMITTING, SUBMITTED and COMPLETED, one commit each, as a run does; the size of the
     * open file a third of the way through and at the end.
     */
    private static long[] fileSizesDuringARun(Path ledgerDir, boolean housekeeping) throws Exception {
        try (HikariDataSource dataSource = LedgerDatabase.open(ledgerDir)) {
            // H2 frees a chunk only 45 s after its last use (RETENTION_TIME); this test cannot wait that long
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SET RETENTION_TIME 0");
            }
            // rounds between rows, as the timer makes them between a run's commits (this test commits far faster)
            LedgerHousekeeping compaction = housekeeping ? LedgerHousekeeping.start(dataSource, Duration.ofDays(1)) : null;
            try {
                Ledger ledger = Ledger.openRun(dataSource, Clock.systemUTC(), "job", "in.csv", "sandbox",
                        "z-image-turbo");
                List<NewRow> rows = new ArrayList<>();
                for (long rowNo = 1; rowNo <= ROWS; rowNo++) {
                    rows.add(NewRow.pending("row:" + rowNo, rowNo, rowNo + 1, null, "row-" + rowNo, "a prompt of some length " + rowNo,
                            "{\"prompt\":\"a prompt of some length " + rowNo + "\",\"width\":1024}", "h" + rowNo,
                            false, 1));
                }
                Reconciler reconciler = new Reconciler(ledger.intake(), 1, true);
                reconciler.accept(rows);
                reconciler.finish(true);
                Path file = ledgerDir.resolve("zbatch.mv.db");
                long[] sizes = new long[2];
                for (long rowNo = 1; rowNo <= ROWS; rowNo++) {
                    ledger.markSubmitting(rowNo, BigDecimal.ONE, "test");
                    ledger.markSubmitted(rowNo, new Submission("request-" + rowNo,
                            URI.create("http://127.0.0.1/v2/requests/" + rowNo + "/status"), null, null),
                            Instant.now(), BigDecimal.ONE);
                    ledger.markCompleted(rowNo, List.of(new ImageRecord(1, "images/row-" + rowNo + ".jpg",
                            1000, "0".repeat(64), 1024, 1024, "image/jpeg")), 7L);
                    if (compaction != null && rowNo % 20 == 0) compaction.compactOnce();
                    if (rowNo == ROWS / 3) sizes[0] = Files.size(file);
                }
                sizes[1] = Files.size(file);
                assertThat(ledger.countInState(RowState.COMPLETED)).isEqualTo(ROWS);
                return sizes;
            } finally {
                if (compaction != null) compaction.close();
            }
        }
    }
}
