package dev.zbatch.cli;

import dev.zbatch.cli.progress.ProgressFigures;
import dev.zbatch.ledger.RowState;
import dev.zbatch.ledger.RunInfo;
import dev.zbatch.ledger.RunProgress;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The words and figures of {@code status}, from a given reading of the ledger. */
class RunStatusTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void aResumedRunsPaceAndEtaAreThoseOfTheRunningProcessAsItsOwnProgressLineShowsThem() {
        // 30 rows were done by an earlier process; this one began a minute ago and has finished 60 more.
        RunInfo run = run(100L, NOW.minusSeconds(60), null, 30L);
        RunProgress progress = progress(Map.of(RowState.COMPLETED, 90L, RowState.PENDING, 10L), 90);

        RunStatus status = RunStatus.of(run, progress, true, NOW);

        assertThat(status.text())
                .contains("pace:     60.0 rows/min, 60.0 images/min (the running process, over 1 min 00 s)")
                .contains("eta:      10 s (10 rows left)").contains("spent:    $0.10 (sent requests")
                .contains("rows:     90 done of 100 in the input\n");
        ProgressFigures bar = new ProgressFigures(progress, 30, 30, 100L, Duration.ofSeconds(60), false);
        assertThat(bar.logLine()).startsWith("90/100 rows done (90%)").contains("60.0 images/min").endsWith("ETA 10 s");
        assertThat(status.json()).contains("\"rows_done\":90").contains("\"rows_per_minute\":60.0")
                .contains("\"eta_seconds\":10");
    }

    @Test
    void rowsReadSoFarAreNotCalledTheInput() {
        RunInfo run = run(60L, NOW.minusSeconds(30), null, 0L);
        RunProgress progress = progress(Map.of(RowState.COMPLETED, 40L, RowState.PENDING, 12L), 40);

        assertThat(RunStatus.of(run, progress, true, NOW).text())
                .contains("rows:     40 done of 60 in the input, 52 read so far\n");
    }

    @Test
    void whileTheInputIsStillBeingCountedTheEtaSaysSo() {
        RunInfo run = run(null, NOW.minusSeconds(30), null, 0L);
        RunProgress progress = progress(Map.of(RowState.COMPLETED, 5L, RowState.PENDING, 3L), 5);

        assertThat(RunStatus.of(run, progress, true, NOW).text())
                .contains("eta:      unknown (the input's rows are not counted yet)")
                .contains("rows:     5 done of 8 read so far (the input's rows are not counted yet)");
    }

    @Test
    void anEndedRunWithEveryRowDoneShowsJustTheCountAndNoPace() {
        RunInfo run = run(35L, NOW.minusSeconds(300), NOW.minusSeconds(200), 0L);
        RunProgress progress = progress(Map.of(RowState.COMPLETED, 35L), 35);

        String text = RunStatus.of(run, progress, false, NOW).text();

        assertThat(text).contains("rows:     35\n").contains("run:      ended 2026-12-04 11:56:40 UTC, after 1 min 40 s")
                .doesNotContain("pace:").doesNotContain("eta:");
    }

    @Test
    void aRunStoppedBeforeItsInputWasReadToTheEndSaysSo() {
        RunInfo run = run(null, NOW.minusSeconds(300), NOW.minusSeconds(200), 0L);
        RunProgress progress = progress(Map.of(RowState.COMPLETED, 20L), 20);

        assertThat(RunStatus.of(run, progress, false, NOW).text())
                .contains("rows:     20 done of 20 read so far (the input was not read to the end)");
    }

    private static RunInfo run(Long inputRows, Instant started, Instant ended, Long doneAtStart) {
        return new RunInfo(1, "key", "catalog", "prompts.csv", "segmind", "z-image-turbo", at(started.minusSeconds(60)),
                null, inputRows, at(started), at(NOW.minusSeconds(2)), ended == null ? null : at(ended),
                ended == null ? null : "finished: every row has its images", doneAtStart, doneAtStart, null);
    }

    private static RunProgress progress(Map<RowState, Long> counts, long images) {
        return new RunProgress(new EnumMap<>(counts), images, 0, new BigDecimal("0.10"));
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
