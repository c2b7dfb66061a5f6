package dev.zbatch.cli;

import dev.zbatch.cli.progress.ProgressFigures;
import dev.zbatch.output.SpendWords;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.RowState;
import dev.zbatch.ledger.RunInfo;
import dev.zbatch.ledger.RunProgress;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What {@code status} shows, read from the ledger alone: counts by state, spend, when the run started and
 * ended, and, while a process is working on it, its pace and ETA.
 *
 * @param paceRowsPerMinute rows finished per minute over the last minutes, while running; else null
 */
record RunStatus(RunInfo run, RunProgress progress, Activity activity, Double paceRowsPerMinute, Instant now) {

    private static final Duration PACE_WINDOW = Duration.ofMinutes(10);
    /** A live process renews its heartbeat every few seconds; silence this long is worth a word. */
    private static final Duration SILENT = Duration.ofMinutes(1);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    enum Activity {
        /** A process is working on the run now. */
        RUNNING,
        /** The last process ended and said how. */
        ENDED,
        /** The last process stopped without saying how: killed, or the machine went down. */
        INTERRUPTED,
        /** No process has worked on it yet (or it was run by a zbatch that did not record this). */
        NOT_STARTED
    }

    /** @param served whether the ledger was read through the process that holds it, i.e. one is running */
    static RunStatus read(Ledger ledger, RunInfo run, boolean served, Instant now) {
        RunProgress progress = ledger.progress();
        Activity activity = activity(run, served);
        Double pace = null;
        if (activity == Activity.RUNNING) {
            Instant since = run.startedAt().toInstant();
            if (since.isBefore(now.minus(PACE_WINDOW))) since = now.minus(PACE_WINDOW);
            double minutes = Math.max(Duration.between(since, now).toMillis(), 1000) / 60_000.0;
            pace = ledger.finishedSince(since) / minutes;
        }
        return new RunStatus(run, progress, activity, pace, now);
    }

    private static Activity activity(RunInfo run, boolean served) {
        if (run.startedAt() == null) return Activity.NOT_STARTED;
        if (run.endedAt() != null) return Activity.ENDED;
        return served ? Activity.RUNNING : Activity.INTERRUPTED;
    }

    /** Rows not finished yet: of the whole input when its size is known, else of the rows read so far. */
    long rowsLeft() {
        Long total = run.inputRows();
        return Math.max(0, (total != null ? total : progress.rows()) - progress.done());
    }

    /** Time left at the recent pace; null when not running or there is no pace yet. */
    Duration eta() {
        if (paceRowsPerMinute == null || paceRowsPerMinute <= 0) return null;
        return Duration.ofSeconds(Math.round(rowsLeft() / paceRowsPerMinute * 60));
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        Long total = run.inputRows();
        sb.append(String.format(Locale.ROOT, "job:      %s%ninput:    %s (the file read last)%nprovider: %s %s%n",
                run.jobName(), run.inputPath(), run.provider(), run.model()));
        RunInfo.Reconciliation last = run.lastReconciliation();
        if (last != null) {
            sb.append(String.format(Locale.ROOT, "read:     %s: %d new, %d changed, %d unchanged, %d no longer in the "
                    + "input%s%n", time(last.at()), last.added(), last.changed(), last.unchanged(), last.removed(),
                    last.heldNote() == null ? "" : last.heldNote()));
        }
        sb.append("run:      ").append(activityLine()).append('\n');
        if (activity == Activity.RUNNING) {
            Duration eta = eta();
            sb.append("eta:      ").append(eta == null ? "unknown (nothing has finished yet)"
                    : String.format(Locale.ROOT, "%s (%d rows left at %.1f rows/min)", ProgressFigures.human(eta),
                    rowsLeft(), paceRowsPerMinute)).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "rows:     %d%s%n", progress.rows(), total == null
                ? " so far (the input has not been read to the end)"
                : progress.rows() < total ? " of " + total + " in the input" : ""));
        for (RowState state : RowState.values()) {
            long n = progress.count(state);
            if (n > 0) sb.append(String.format(Locale.ROOT, "  %-11s %d%n", state.name().toLowerCase(Locale.ROOT), n));
        }
        sb.append(String.format(Locale.ROOT, "images:   %d%s%n", progress.images(), progress.mismatched() == 0 ? ""
                : " (" + progress.mismatched() + " another size or format than asked, kept)"));
        sb.append(SpendWords.isSandbox(run.provider())
                ? String.format(Locale.ROOT, "spent:    %s%n", SpendWords.of(progress.spent(), true))
                : String.format(Locale.ROOT, "spent:    $%s (sent requests at their recorded cost)%n",
                progress.spent().stripTrailingZeros().toPlainString()));
        return sb.toString();
    }

    private String activityLine() {
        switch (activity) {
            case RUNNING:
                return "in progress since " + time(run.startedAt()) + " (last heartbeat "
                        + ProgressFigures.human(Duration.between(run.heartbeatAt().toInstant(), now)) + " ago)"
                        + (Duration.between(run.heartbeatAt().toInstant(), now).compareTo(SILENT) > 0
                        ? ": the process holds the ledger but has not written to it for a while (stuck?)" : "");
            case ENDED:
                return "ended " + time(run.endedAt()) + ", after " + ProgressFigures.human(Duration.between(
                        run.startedAt().toInstant(), run.endedAt().toInstant())) + "; " + run.outcome();
            case INTERRUPTED:
                return "not running: the process that started at " + time(run.startedAt()) + " stopped without "
                        + "finishing (last heartbeat " + time(run.heartbeatAt()) + "); run the same command again "
                        + "to resume";
            default:
                return "not started";
        }
    }

    String json() {
        ObjectNode node = JSON.createObjectNode();
        node.put("job", run.jobName());
        node.put("input", run.inputPath());
        RunInfo.Reconciliation last = run.lastReconciliation();
        if (last != null) {
            ObjectNode read = node.putObject("last_reading");
            read.put("at", iso(last.at()));
            read.put("new", last.added());
            read.put("changed", last.changed());
            read.put("unchanged", last.unchanged());
            read.put("removed", last.removed());
            read.put("held", last.held());
        }
        node.put("provider", run.provider());
        node.put("model", run.model());
        node.put("activity", activity.name());
        node.put("started_at", iso(run.startedAt()));
        node.put("ended_at", iso(run.endedAt()));
        node.put("heartbeat_at", iso(run.heartbeatAt()));
        node.put("outcome", run.outcome());
        if (run.inputRows() != null) node.put("input_rows", run.inputRows()); else node.putNull("input_rows");
        node.put("rows", progress.rows());
        ObjectNode states = node.putObject("states");
        for (RowState state : RowState.values()) states.put(state.name(), progress.count(state));
        node.put("images", progress.images());
        node.put("images_mismatched", progress.mismatched());
        node.put("spent_usd", progress.spent().setScale(Math.max(2, progress.spent().scale()), RoundingMode.HALF_UP));
        if (paceRowsPerMinute != null) node.put("rows_per_minute", paceRowsPerMinute); else node.putNull("rows_per_minute");
        Duration eta = eta();
        if (eta != null) node.put("eta_seconds", eta.toSeconds()); else node.putNull("eta_seconds");
        return JSON.writeValueAsString(node);
    }

    private static String time(OffsetDateTime t) {
        return t.atZoneSameInstant(ZoneOffset.UTC).format(TIME);
    }

    private static String iso(OffsetDateTime t) {
        return t == null ? null : t.toInstant().toString();
    }
}
