package dev.zbatch.cli;

import dev.zbatch.cli.progress.ProgressFigures;
import dev.zbatch.output.AccountLines;
import dev.zbatch.output.SpendWords;
import dev.zbatch.ledger.AccountTally;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.RowState;
import dev.zbatch.ledger.RunInfo;
import dev.zbatch.ledger.RunProgress;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code status} shows, read from the ledger alone: counts by state, spend, when the run started and
 * ended, and, while a process is working on it, its pace and ETA, reckoned as that process's own progress
 * display reckons them ({@link ProgressFigures}).
 *
 * @param figures  the running process's figures; null when no process is working on the run
 * @param accounts each account's rows
 * @param takenOut the accounts the latest process took out of rotation, and why, by name
 */
record RunStatus(RunInfo run, RunProgress progress, Activity activity, ProgressFigures figures, Instant now,
                 List<AccountTally> accounts, Map<String, String> takenOut) {

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
        RunStatus status = of(run, ledger.progress(), served, now);
        Map<String, String> out = run.startedAt() == null ? Map.of() : ledger.accountsTakenOutSince(run.startedAt());
        return new RunStatus(run, status.progress, status.activity, status.figures, now, ledger.accountTallies(
                status.activity == Activity.RUNNING ? run.startedAt() : null),
                out);
    }

    /** @param served whether a process is working on the run now */
    static RunStatus of(RunInfo run, RunProgress progress, boolean served, Instant now) {
        Activity activity = activity(run, served);
        ProgressFigures figures = null;
        if (activity == Activity.RUNNING && run.doneAtStart() != null && run.imagesAtStart() != null) {
            figures = new ProgressFigures(progress, run.doneAtStart(), run.imagesAtStart(), run.inputRows(),
                    Duration.between(run.startedAt().toInstant(), now), SpendWords.isSandbox(run.provider()));
        }
        return new RunStatus(run, progress, activity, figures, now, List.of(), Map.of());
    }

    private static Activity activity(RunInfo run, boolean served) {
        if (run.startedAt() == null) return Activity.NOT_STARTED;
        if (run.endedAt() != null) return Activity.ENDED;
        return served ? Activity.RUNNING : Activity.INTERRUPTED;
    }

    /** Time left at the running process's pace; null when not running, or without a pace or a total yet. */
    Duration eta() {
        return figures == null ? null : figures.eta();
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
        if (figures != null) {
            Duration eta = eta();
            sb.append("eta:      ").append(eta != null ? ProgressFigures.human(eta) + " (" + rowsLeft(total) + " rows left)"
                    : total == null ? "unknown (the input's rows are not counted yet)"
                    : "unknown (nothing has finished yet)").append('\n');
            sb.append("pace:     ").append(figures.paceWords()).append('\n');
        }
        sb.append("rows:     ").append(rowsLine(total)).append('\n');
        for (RowState state : RowState.values()) {
            long n = progress.count(state);
            if (n > 0) sb.append(String.format(Locale.ROOT, "  %-11s %d%n", state.name().toLowerCase(Locale.ROOT), n));
        }
        sb.append(String.format(Locale.ROOT, "images:   %d%s%n", progress.images(), progress.mismatched() == 0 ? ""
                : " (" + progress.mismatched() + " another size or format than asked, kept)"));
        sb.append(SpendWords.isSandbox(run.provider())
                ? String.format(Locale.ROOT, "spent:    %s%n", SpendWords.of(progress.spent(), true))
                : String.format(Locale.ROOT, "spent:    $%s (sent requests at their recorded cost)%n",
                exactSpend().toPlainString()));
        Map<String, String> accountLines = AccountLines.of(accounts, takenOut, SpendWords.isSandbox(run.provider()),
                activity == Activity.RUNNING ? Duration.between(run.startedAt().toInstant(), now) : null, "now");
        if (!accountLines.isEmpty()) sb.append("accounts:\n");
        accountLines.forEach((name, line) -> sb.append(String.format(Locale.ROOT, "  %-11s %s%n", name, line)));
        return sb.toString();
    }

    /** The spend to the last fraction of a cent recorded, and at least to the cent: $0.10, $0.015. */
    private BigDecimal exactSpend() {
        BigDecimal spent = progress.spent().stripTrailingZeros();
        return spent.setScale(Math.max(2, spent.scale()), RoundingMode.UNNECESSARY);
    }

    private long rowsLeft(long total) {
        return Math.max(0, total - progress.done());
    }

    /** Rows done of the input, and how many have been read when that is not all of them yet. */
    private String rowsLine(Long total) {
        long read = progress.rows();
        long done = progress.done();
        if (total == null) {
            return done + " done of " + read + " read so far (" + (activity == Activity.RUNNING
                    ? "the input's rows are not counted yet)" : "the input was not read to the end)");
        }
        if (read >= total && done == read) return String.valueOf(read);
        return done + " done of " + total + " in the input" + (read < total ? ", " + read + " read so far" : "");
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
        node.put("rows_done", progress.done());
        ObjectNode states = node.putObject("states");
        for (RowState state : RowState.values()) states.put(state.name(), progress.count(state));
        node.put("images", progress.images());
        node.put("images_mismatched", progress.mismatched());
        node.put("spent_usd", exactSpend());
        if (figures != null) node.put("rows_per_minute", figures.rowsPerMinute()); else node.putNull("rows_per_minute");
        if (figures != null) node.put("images_per_minute", figures.imagesPerMinute()); else node.putNull("images_per_minute");
        Duration eta = eta();
        if (eta != null) node.put("eta_seconds", eta.toSeconds()); else node.putNull("eta_seconds");
        var each = node.putArray("accounts");
        for (AccountTally a : accounts) {
            ObjectNode account = each.addObject();
            account.put("name", a.account());
            account.put("sent", a.sent());
            account.put("completed", a.completed());
            account.put("failed", a.failed());
            account.put("in_flight", a.inFlight());
            account.put("spent_usd", a.spent());
            account.put("out_of_rotation", takenOut.get(a.account()));
        }
        return JSON.writeValueAsString(node);
    }

    private static String time(OffsetDateTime t) {
        return t.atZoneSameInstant(ZoneOffset.UTC).format(TIME);
    }

    private static String iso(OffsetDateTime t) {
        return t == null ? null : t.toInstant().toString();
    }
}
