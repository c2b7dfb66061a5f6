package dev.zbatch.cli.progress;

import dev.zbatch.ledger.RunProgress;
import dev.zbatch.output.SpendWords;

import java.time.Duration;
import java.util.Locale;

/**
 * What a progress display and {@code status} show, from the latest reading of the ledger and where the run stood
 * when the process working on it began. The pace counts only that process's work, so a resumed run's ETA is not
 * flattered by earlier runs.
 *
 * @param doneAtStart   rows done when the process began
 * @param imagesAtStart images made when the process began
 * @param total         the input's rows when known, else null
 * @param elapsed       since the process began
 * @param sandbox       the run is on the sandbox: its spend is shown as nothing charged ({@link SpendWords})
 */
public record ProgressFigures(RunProgress now, long doneAtStart, long imagesAtStart, Long total, Duration elapsed,
                              boolean sandbox) {

    public long done() {
        return now.done();
    }

    /** Rows finished per minute by this process. */
    public double rowsPerMinute() {
        return (now.done() - doneAtStart) / minutes();
    }

    public double imagesPerMinute() {
        return (now.images() - imagesAtStart) / minutes();
    }

    /** Time left at this process's pace; null while there is no pace yet or the total is unknown. */
    public Duration eta() {
        if (total == null || rowsPerMinute() <= 0) return null;
        long left = Math.max(0, total - now.done());
        return Duration.ofSeconds(Math.round(left / rowsPerMinute() * 60));
    }

    private double minutes() {
        return Math.max(elapsed.toMillis(), 1000) / 60_000.0;
    }

    /** The pace in words, for {@code status}: {@code 12.0 rows/min, 12.0 images/min (the running process, over 3 min 20 s)}. */
    public String paceWords() {
        return String.format(Locale.ROOT, "%.1f rows/min, %.1f images/min (the running process, over %s)",
                rowsPerMinute(), imagesPerMinute(), human(elapsed));
    }

    /** In flight, failed, pace, spend: the part of a progress line after done/total. */
    public String details() {
        return String.format(Locale.ROOT, "%d in flight, %d failed, %.1f images/min, %s", now.inFlight(),
                now.failed(), imagesPerMinute(), SpendWords.of(now.spent(), sandbox) + (sandbox ? "" : " spent"));
    }

    /** The details beside a bar, short enough to leave the bar some room in 80 columns. */
    public String barDetails() {
        return String.format(Locale.ROOT, "%d in flight, %d failed, %.0f img/min, %s", now.inFlight(), now.failed(),
                imagesPerMinute(), SpendWords.brief(now.spent(), sandbox));
    }

    /** One line for a log: {@code 120/1632 rows done (7%), 8 in flight, ..., ETA 38 min}. */
    public String logLine() {
        String of = total == null ? "/?" : "/" + total;
        String percent = total == null || total == 0 ? "" : String.format(Locale.ROOT, " (%d%%)", done() * 100 / total);
        Duration eta = eta();
        return done() + of + " rows done" + percent + ", " + details() + ", ETA " + (eta == null ? "unknown" : human(eta));
    }

    public static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) return s + " s";
        if (s < 3600) return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        if (s < 86_400) return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
        return String.format(Locale.ROOT, "%d d %02d h", s / 86_400, (s % 86_400) / 3600);
    }
}
