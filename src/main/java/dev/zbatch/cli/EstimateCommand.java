package dev.zbatch.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.zbatch.config.ConfigException;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.cost.Estimate;
import dev.zbatch.cost.EstimateReport;
import dev.zbatch.cost.Estimator;
import dev.zbatch.run.RunPaths;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.LedgerDatabase;
import dev.zbatch.ledger.RunInfo;
import dev.zbatch.reconcile.Reconciler;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code estimate} (and {@code run --dry-run}): what the job would reject, make, cost and take, and, when the
 * output folder holds the job's run already, what is new, changed and removed since. No network, no key, nothing
 * written to the ledger. Exit 0 whether or not rows would be rejected (it is a report); 2 when the input or the
 * configuration cannot be used.
 */
final class EstimateCommand {

    private final PrintStream out;
    private final PrintStream err;

    EstimateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The input against the run the output folder holds, read only (also while that run goes on). */
    private static Reconciler dryReconciliation(ZbatchProperties properties, HikariDataSource dataSource) {
        Ledger ledger = Ledger.existing(dataSource, Clock.systemUTC()).orElse(null);
        if (ledger == null) return null;
        RunInfo run = ledger.run();
        String job = RunPaths.jobName(properties);
        if (!run.jobName().equals(job)) {
            throw new ConfigException("the output folder already holds the run of job '" + run.jobName()
                    + "' (last on " + run.inputPath() + "); choose another --out, or delete the folder to start over");
        }
        return new Reconciler(ledger.intake(), ledger.pass(), false);
    }

    int execute(CommandLine commandLine) {
        try {
            ZbatchProperties properties = SpringContexts.properties(commandLine);
            Path ledgerDir = RunPaths.ledgerDir(properties);
            Estimate estimate;
            if (Files.exists(ledgerDir.resolve(LedgerDatabase.FILE_NAME))) {
                try (HikariDataSource dataSource = LedgerDatabase.openShared(ledgerDir)) {
                    estimate = Estimator.estimate(properties, dryReconciliation(properties, dataSource));
                }
            } else {
                estimate = Estimator.estimate(properties);
            }
            out.print(commandLine.json() ? EstimateReport.json(estimate) : EstimateReport.text(estimate));
            out.flush();
            return ExitCode.OK;
        } catch (RuntimeException e) {
            return Failures.report(e, err, null);
        }
    }
}
