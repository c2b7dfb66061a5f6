package dev.zbatch.output;

import dev.zbatch.cost.Price;
import dev.zbatch.ledger.AccountTally;
import dev.zbatch.ledger.RowState;
import dev.zbatch.provider.pacing.CallCounts;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The lines printed at the end of a run: counts by state, where the output is, time taken and pace.
 *
 * @param inputRows     the input's rows when known (counted, or read to the end), else null
 * @param mismatched    images kept that differ from what their request asked (another size or format)
 * @param imagesThisRun images completed by this process (for the pace)
 * @param provider      the run's provider ({@code sandbox} charges nothing)
 * @param accounts      each account's rows, shown when the run has several
 * @param takenOut      why an account was taken out of rotation, by name
 * @param windowNote    a line saying the in-flight window, not the limit, set the pace; null when it did not
 */
public record RunSummary(String jobName, Map<RowState, Long> counts, Long inputRows, long images, long mismatched,
                         Path outputDir,
                         Duration elapsed,
                         long imagesThisRun, CallCounts calls, BigDecimal spent, Price price, String provider,
                         List<AccountTally> accounts, Map<String, String> takenOut, String windowNote) {

    public long rows() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public long count(RowState state) {
        return counts.getOrDefault(state, 0L);
    }

    public boolean allCompleted() {
        return rows() > 0 && count(RowState.COMPLETED) == rows();
    }

    public String render() {
        StringJoiner states = new StringJoiner(", ");
        for (RowState state : RowState.values()) {
            long n = count(state);
            if (n > 0) states.add(n + " " + state.name().toLowerCase(Locale.ROOT));
        }
        double minutes = Math.max(elapsed.toMillis(), 1) / 60_000.0;
        return String.format(Locale.ROOT, "%s: %s: %s%n"
                        + "  images:   %d in %s%n"
                        + "%s"
                        + "  manifest: %s%n"
                        + "  gallery:  %s%n"
                        + "  time:     %s%n"
                        + "  spent:    %s%n"
                        + "%s%s%s",
                jobName, rowsRead(), rows() == 0 ? "none" : states, images, outputDir.resolve("images"),
                mismatched == 0 ? "" : String.format(Locale.ROOT, "  differ:   %d %s another size or format than "
                        + "asked, kept (\"mismatch\" in manifest.jsonl)%n", mismatched, mismatched == 1 ? "image is" : "images are"),
                outputDir.resolve("manifest.jsonl"), outputDir.resolve("index.html"), human(elapsed)
                        + (imagesThisRun == 0 ? "" : String.format(Locale.ROOT, ", %.1f images/min", imagesThisRun / minutes)),
                spentLine(), callsLine(), accountLines(),
                windowNote == null ? "" : "  window:   " + windowNote + System.lineSeparator());
    }

    /** The rows in the ledger, and, when the input holds more (its reading stopped short), how many it holds. */
    private String rowsRead() {
        if (inputRows == null) return rows() + " rows read so far (the input was not read to the end)";
        if (rows() < inputRows) return rows() + " of the input's " + inputRows + " rows read";
        return rows() + (rows() == 1 ? " row" : " rows");
    }

    /** With the sandbox, nothing charged first: the figure is what a real provider's price would have made. */
    private String spentLine() {
        String perImage = "$" + price.usdPerImage().toPlainString() + " per image";
        if (SpendWords.isSandbox(provider)) {
            return "$0 charged: the sandbox (≈" + SpendWords.dollars(spent) + " at " + perImage + ")";
        }
        return "$" + spent.setScale(Math.max(2, spent.scale()), RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString() + " at " + perImage + " (" + price.source() + ")";
    }

    /** One line per account when there are several, or when one was taken out of rotation. */
    private String accountLines() {
        StringBuilder lines = new StringBuilder();
        AccountLines.of(accounts, takenOut, SpendWords.isSandbox(provider), elapsed, "this run").forEach((name, line) ->
                lines.append("  account ").append(name).append(": ").append(line).append(System.lineSeparator()));
        return lines.toString();
    }

    private String callsLine() {
        if (calls.submits() + calls.polls() == 0) return "";
        double per = Math.max(imagesThisRun, 1);
        return String.format(Locale.ROOT, "  calls:    %d submits, %d polls, %d downloads (%.2f per image); "
                        + "%d answered 429%n", calls.submits(), calls.polls(), calls.downloads(),
                (calls.submits() + calls.polls() + calls.downloads()) / per, calls.rateLimited());
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        if (s < 3600) return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
