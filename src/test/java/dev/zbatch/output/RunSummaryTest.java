package dev.zbatch.output;

import dev.zbatch.cost.Price;
import dev.zbatch.ledger.RowState;
import dev.zbatch.provider.pacing.CallCounts;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The first lines of a run's summary: how many rows, of how many in the input. */
class RunSummaryTest {

    @Test
    void aRunThatStoppedPartWayThroughTheInputCountsTheRowsReadAgainstTheInputsRows() {
        assertThat(summary(20, 29L, 20).render()).startsWith("catalog: 20 of the input's 29 rows read: 20 completed\n");
    }

    @Test
    void aRunWhoseInputWasNotReadToTheEndDoesNotCallTheRowsReadTheInput() {
        assertThat(summary(20, null, 20).render())
                .startsWith("catalog: 20 rows read so far (the input was not read to the end): 20 completed\n");
    }

    @Test
    void aWholeInputIsJustItsRowCount() {
        assertThat(summary(29, 29L, 29).render()).startsWith("catalog: 29 rows: 29 completed\n")
                .contains("images/min");
        assertThat(summary(1, 1L, 1).render()).startsWith("catalog: 1 row: 1 completed\n");
    }

    @Test
    void aPassThatMadeNoImagesShowsNoPace() {
        assertThat(summary(29, 29L, 0).render()).doesNotContain("images/min");
    }

    private static RunSummary summary(long completed, Long inputRows, long imagesThisRun) {
        Map<RowState, Long> counts = new EnumMap<>(RowState.class);
        counts.put(RowState.COMPLETED, completed);
        return new RunSummary("catalog", counts, inputRows, completed, 0, Path.of("out"), Duration.ofSeconds(30),
                imagesThisRun, new CallCounts(completed, completed, completed, 0), new BigDecimal("0.10"),
                new Price(new BigDecimal("0.005"), "Segmind's price", true), "segmind", List.of(), Map.of(), null);
    }
}
