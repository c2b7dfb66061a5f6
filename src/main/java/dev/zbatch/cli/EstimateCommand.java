package dev.zbatch.cli;

import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.cost.Estimate;
import dev.zbatch.cost.EstimateReport;
import dev.zbatch.cost.Estimator;

import java.io.PrintStream;

/**
 * {@code estimate} (and {@code run --dry-run}): what the job would reject, make, cost and take. No network, no
 * key, no ledger. Exit 0 whether or not rows would be rejected (it is a report); 2 when the input or the
 * configuration cannot be used.
 */
final class EstimateCommand {

    private final PrintStream out;
    private final PrintStream err;

    EstimateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int execute(CommandLine commandLine) {
        try {
            ZbatchProperties properties = SpringContexts.properties(commandLine);
            Estimate estimate = Estimator.estimate(properties);
            out.print(commandLine.json() ? EstimateReport.json(estimate) : EstimateReport.text(estimate));
            out.flush();
            return ExitCode.OK;
        } catch (RuntimeException e) {
            return Failures.report(e, err, null);
        }
    }
}
