package dev.zbatch.cli;

import dev.zbatch.cli.progress.ProgressReporter;
import dev.zbatch.request.RoundedSizes;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.run.RunControl;
import dev.zbatch.run.StopReason;
import dev.zbatch.cost.Pace;
import dev.zbatch.cost.AccountShares;
import dev.zbatch.reconcile.DeltaAnnouncer;
import dev.zbatch.job.JobOutcome;
import dev.zbatch.job.JobRunner;
import dev.zbatch.run.RunPaths;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.RowState;
import dev.zbatch.ledger.RunInfo;
import dev.zbatch.ledger.RunProgress;
import dev.zbatch.output.Reports;
import dev.zbatch.output.RunSummary;
import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.account.Account;
import dev.zbatch.run.InFlightWindow;
import dev.zbatch.provider.account.Accounts;
import dev.zbatch.provider.registry.ProviderHandle;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** {@code run}: starts the job, or resumes it, and reports how it ended. */
final class RunCommand {

    /** Told when the job itself starts and ends (the benchmark measures between the two). */
    interface JobObserver {
        JobObserver NONE = new JobObserver() {
        };

        default void jobStarting() {
        }

        default void jobEnded() {
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Signals signals;
    private final JobObserver observer;

    RunCommand(PrintStream out, PrintStream err, Signals signals) {
        this(out, err, signals, JobObserver.NONE);
    }

    RunCommand(PrintStream out, PrintStream err, Signals signals, JobObserver observer) {
        this.out = out;
        this.err = err;
        this.signals = signals;
        this.observer = observer;
    }

    int execute(CommandLine commandLine) {
        Instant started = Instant.now();
        ConfigurableApplicationContext context;
        try {
            context = SpringContexts.start(commandLine);
        } catch (RuntimeException e) {
            return Failures.report(e, err, null);
        }
        RunPaths paths = context.getBean(RunPaths.class);
        String logFile = paths.ledgerDir().resolve("zbatch.log").toString();
        try (context; AutoCloseable log = LogFile.attach(paths.ledgerDir().resolve("zbatch.log"))) {
            RunControl control = context.getBean(RunControl.class);
            if (signals != null) {
                signals.onSignal(() -> control.halt(StopReason.resumable(
                        "stopped by Ctrl-C or SIGTERM; run the same command again to continue")));
            }
            try {
                return runJob(context, paths, control, started, commandLine);
            } catch (Exception e) {
                return Failures.report(e, err, logFile);
            }
        } catch (Exception e) { // closing failed
            return Failures.report(e, err, logFile);
        }
    }

    /** How the run ended, as {@code status} shows it afterwards. */
    private static String outcomeInWords(JobOutcome outcome, StopReason stop, RunProgress end) {
        if (stop != null) return stop.message().startsWith("stopped") ? stop.message() : "stopped: " + stop.message();
        if (!outcome.completed()) {
            return outcome.failures().isEmpty() ? "failed: the job ended " + outcome.status() + " (see .zbatch/zbatch.log)"
                    : Failures.outcomeWords(outcome.failures().get(0));
        }
        long completed = end.count(RowState.COMPLETED);
        long rows = end.rows();
        return completed == rows ? "finished: every row has its images"
                : "finished: " + (rows - completed) + " of " + rows + " rows without images (see the manifest)";
    }

    /** {@code retry --failed --expired --unknown}: the states whose rows are sent again. */
    static Set<RowState> sendAgain(CommandLine commandLine) {
        Set<RowState> states = EnumSet.noneOf(RowState.class);
        for (RowState state : List.of(RowState.FAILED, RowState.EXPIRED, RowState.UNKNOWN)) {
            if (commandLine.properties().containsKey(CommandLine.RETRY_FLAG + state.name().toLowerCase(Locale.ROOT))) {
                states.add(state);
            }
        }
        return states;
    }

    /** Rows that a retry could give images, and the command that does it. */
    /**
     * When requests ready to go waited for room in the window for a quarter of the run or more, the window, not the
     * limit, set the pace: say so, and how to change it. (Without a limit the window always sets it.)
     */
    private static String windowNote(InFlightWindow window, Duration elapsed) {
        Duration full = window.fullFor();
        if (elapsed.isZero() || full.toMillis() * 4 < elapsed.toMillis()) return null;
        return String.format(Locale.ROOT, "the in-flight window (%d %s) was full for %d%% of the run: it, "
                + "not the limit, set the pace; raise zbatch.submit.window", window.size(),
                window.size() == 1 ? "request" : "requests",
                Math.min(100, full.toMillis() * 100 / Math.max(1, elapsed.toMillis())));
    }

    private void printRetryHint(RunSummary summary, CommandLine commandLine) {
        List<String> flags = new ArrayList<>();
        for (RowState state : List.of(RowState.FAILED, RowState.EXPIRED, RowState.UNKNOWN)) {
            if (summary.count(state) > 0) flags.add("--" + state.name().toLowerCase(Locale.ROOT));
        }
        if (flags.isEmpty()) return;
        if (summary.count(RowState.UNKNOWN) > 0) {
            out.println("  " + summary.count(RowState.UNKNOWN) + " rows are UNKNOWN: their request may have been "
                    + "accepted (and charged) before the process stopped, so they were not sent again.");
        }
        out.println("  to send the rows without images again: ./run.sh " + commandLine.asRetry() + " "
                + String.join(" ", flags));
    }

    /**
     * Before anything is sent (and only when something will be: an input with nothing new asks the provider
     * nothing): a refused key stops the run here; a balance too low for the run is warned about.
     */
    private Thread checkBalance(ZbatchProperties properties, ProviderHandle provider, Ledger ledger,
                                RunControl control) {
        Accounts accounts = provider.accounts();
        BigDecimal total = BigDecimal.ZERO;
        boolean allKnown = true;
        for (Account account : accounts.all()) {
            Optional<BigDecimal> balance;
            try {
                balance = account.provider().balance();
            } catch (ProviderException e) {
                if (accounts.takeOut(account, e.getMessage())) continue;
                control.halt(new StopReason(accounts.whyNoneIsLeft(e.getMessage()) + "; fix it and run the same command again (nothing was sent)",
                        ExitCode.STOPPED));
                return null;
            }
            if (balance.isPresent()) total = total.add(balance.get());
            else allKnown = false;
        }
        // a warning needs every account's balance: one that says nothing may cover the rest
        return BalanceWarning.start(properties, allKnown ? Optional.of(total) : Optional.empty(),
                ledger::committedSpend, err);
    }

    private int runJob(ConfigurableApplicationContext context, RunPaths paths, RunControl control, Instant started,
                       CommandLine commandLine) throws Exception {
        Ledger ledger = context.getBean(Ledger.class);
        RunInfo run = context.getBean(RunInfo.class);

        ZbatchProperties properties = context.getBean(ZbatchProperties.class);
        ProviderHandle provider = context.getBean(ProviderHandle.class);
        AtomicReference<Thread> balanceCheck = new AtomicReference<>();
        Duration maxDuration = properties.job().maxDuration();
        JobOutcome outcome;
        ProgressReporter progress = ProgressReporter.start(ledger, run, paths.input(), paths.inputOptions(),
                properties.progress(), out, err);
        try (TimeBudget budget = TimeBudget.start(maxDuration, () -> control.halt(StopReason.resumable(
                "stopped after zbatch.job.max-duration (" + maxDuration + "); run the same command again to "
                        + "continue")))) {
            context.getBean(DeltaAnnouncer.class).onDelta(delta -> {
                for (String line : DeltaLines.of(delta, paths.input(), context.getBean(AccountShares.class).price(),
                        Pace.of(properties))) {
                    out.println("zbatch: " + line);
                }
                String rounded = context.getBean(RoundedSizes.class).warning();
                if (delta.toSend() > 0 && rounded != null) out.println("zbatch: " + rounded);
                if (delta.toSend() > 0) balanceCheck.set(checkBalance(properties, provider, ledger, control));
            });
            observer.jobStarting();
            outcome = context.getBean(JobRunner.class).run(sendAgain(commandLine));
            observer.jobEnded();
        } catch (Exception | Error e) {
            progress.close(Failures.outcomeWords(e));
            throw e;
        }
        RunProgress end = ledger.progress();
        progress.close(outcomeInWords(outcome, control.stopReason(), end), end);

        if (balanceCheck.get() != null) {
            balanceCheck.get().join(2000); // a warning that is still worth reading belongs before the summary
        }
        if (!outcome.completed()) { // the finish step did not run: show where things stand
            Reports.write(ledger, paths.outputDir());
        }
        RunSummary summary = new RunSummary(paths.jobName(), end.counts(), ledger.run().inputRows(), end.images(),
                end.mismatched(), paths.outputDir(),
                Duration.between(started, Instant.now()), end.images() - progress.atStart().images(),
                provider.counts(), end.spent(), context.getBean(AccountShares.class).price(), properties.provider().id(),
                ledger.accountTallies(started.atOffset(ZoneOffset.UTC)),
                ledger.accountsTakenOutSince(started.atOffset(ZoneOffset.UTC)),
                Pace.of(properties).submitsPerMinute() == 0 ? null
                        : windowNote(context.getBean(InFlightWindow.class), Duration.between(started, Instant.now())));
        out.print(summary.render());
        printRetryHint(summary, commandLine);

        StopReason stop = control.stopReason();
        if (stop != null) {
            err.println("zbatch: " + stop.message());
            return stop.exitCode();
        }
        if (!outcome.completed()) {
            Throwable failure = outcome.failures().isEmpty() ? new IllegalStateException(
                    "the job ended " + outcome.status()) : outcome.failures().get(0);
            return Failures.report(failure, err, paths.ledgerDir().resolve("zbatch.log").toString());
        }
        return summary.allCompleted() ? ExitCode.OK : ExitCode.INCOMPLETE;
    }
}
