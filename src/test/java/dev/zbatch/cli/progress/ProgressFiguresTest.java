package dev.zbatch.cli.progress;

import dev.zbatch.ledger.RowState;
import dev.zbatch.ledger.RunProgress;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressFiguresTest {

    private static final RunProgress RESUMED_AT = new RunProgress(Map.of(RowState.COMPLETED, 100L), 100, 0,
            new BigDecimal("3.10"));

    @Test
    void paceAndEtaCountOnlyThisProcessWork() {
        RunProgress now = new RunProgress(Map.of(RowState.COMPLETED, 150L, RowState.FAILED, 10L,
                RowState.SUBMITTED, 8L, RowState.PENDING, 2L), 150, 0, new BigDecimal("5.27"));
        ProgressFigures figures = new ProgressFigures(now, RESUMED_AT.done(), RESUMED_AT.images(), 1000L, Duration.ofMinutes(2), false);

        assertThat(figures.done()).isEqualTo(160);
        assertThat(figures.rowsPerMinute()).isEqualTo(30.0); // 60 rows in 2 minutes, not 160
        assertThat(figures.imagesPerMinute()).isEqualTo(25.0);
        assertThat(figures.eta()).isEqualTo(Duration.ofMinutes(28)); // 840 rows left at 30 a minute
        assertThat(figures.logLine()).isEqualTo("160/1000 rows done (16%), 8 in flight, 10 failed, "
                + "25.0 images/min, $5.27 spent, ETA 28 min 00 s");
        assertThat(figures.barDetails()).isEqualTo("8 in flight, 10 failed, 25 img/min, $5.27");
    }

    @Test
    void withoutATotalOrAPaceTheEtaIsUnknown() {
        ProgressFigures noTotal = new ProgressFigures(RESUMED_AT, RESUMED_AT.done(), RESUMED_AT.images(), null, Duration.ofSeconds(30), false);
        assertThat(noTotal.eta()).isNull();
        assertThat(noTotal.logLine()).startsWith("100/? rows done, 0 in flight").endsWith("ETA unknown");

        ProgressFigures noPace = new ProgressFigures(RESUMED_AT, RESUMED_AT.done(), RESUMED_AT.images(), 500L, Duration.ofSeconds(30), false);
        assertThat(noPace.eta()).isNull();
    }

    @Test
    void longDurationsReadAsHoursAndDays() {
        assertThat(ProgressFigures.human(Duration.ofSeconds(42))).isEqualTo("42 s");
        assertThat(ProgressFigures.human(Duration.ofMinutes(400))).isEqualTo("6 h 40 min");
        assertThat(ProgressFigures.human(Duration.ofHours(50))).isEqualTo("2 d 02 h");
    }

    @Test
    void theSandboxSaysNothingIsChargedAndWhatARealProviderWouldHaveCharged() {
        ProgressFigures sandbox = new ProgressFigures(RESUMED_AT, RESUMED_AT.done(), RESUMED_AT.images(), 500L, Duration.ofSeconds(30), true);

        assertThat(sandbox.details()).endsWith("images/min, $0 charged (≈$3.10 at the price of a real provider)");
        assertThat(sandbox.barDetails()).endsWith("$0 (≈$3.10)");
    }
}
