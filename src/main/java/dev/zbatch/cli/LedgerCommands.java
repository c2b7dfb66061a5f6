package dev.zbatch.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.zbatch.config.ConfigException;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.LedgerDatabase;
import dev.zbatch.ledger.RowState;
import dev.zbatch.ledger.RunInfo;
import dev.zbatch.output.Gallery;
import dev.zbatch.output.ManifestWriter;
import org.springframework.jdbc.support.JdbcTransactionManager;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/** {@code status OUTPUT_DIR} and {@code report OUTPUT_DIR}: views of a run's ledger; nothing is sent. */
final class LedgerCommands {

    private final PrintStream out;
    private final PrintStream err;

    LedgerCommands(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int execute(CommandLine commandLine) {
        Path outputDir = commandLine.target() != null ? commandLine.target()
                : commandLine.properties().containsKey("zbatch.output.dir")
                ? Path.of(commandLine.properties().get("zbatch.output.dir")) : null;
        try {
            if (outputDir == null) throw new ConfigException(commandLine.command() + " needs an output folder, "
                    + "e.g. ./run.sh " + commandLine.command() + " out/sample");
            Path ledgerDir = outputDir.resolve(".zbatch");
            if (!Files.isDirectory(ledgerDir)) throw new ConfigException(outputDir + " holds no zbatch run");
            try (HikariDataSource dataSource = LedgerDatabase.open(ledgerDir)) {
                Ledger ledger = new Ledger(dataSource, new JdbcTransactionManager(dataSource), Clock.systemUTC());
                RunInfo run = ledger.run().orElseThrow(() -> new ConfigException(outputDir + " holds no zbatch run"));
                if (commandLine.command().equals("report")) {
                    ManifestWriter.write(ledger, run.runId(), outputDir);
                    Gallery.write(ledger, run, outputDir);
                    out.println("zbatch: wrote " + outputDir.resolve("manifest.jsonl") + ", manifest.csv and "
                            + "index.html");
                } else {
                    printStatus(ledger, run);
                }
                return ExitCode.OK;
            }
        } catch (RuntimeException e) {
            if (isLocked(e)) {
                err.println("zbatch: a run is in progress in " + outputDir + " (its database is in use)");
                return ExitCode.USAGE;
            }
            return Failures.report(e, err, null);
        }
    }

    private void printStatus(Ledger ledger, RunInfo run) {
        Map<RowState, Long> counts = ledger.countByState(run.runId());
        long rows = counts.values().stream().mapToLong(Long::longValue).sum();
        out.printf(Locale.ROOT, "job:      %s%ninput:    %s%nprovider: %s %s%nrows:     %d%s%n", run.jobName(),
                run.inputPath(), run.provider(), run.model(), rows,
                run.rowsRead() == null ? " so far (input not read to the end yet)" : "");
        for (RowState state : RowState.values()) {
            long n = counts.getOrDefault(state, 0L);
            if (n > 0) out.printf(Locale.ROOT, "  %-11s %d%n", state.name().toLowerCase(Locale.ROOT), n);
        }
        out.printf(Locale.ROOT, "images:   %d%n", ledger.countImages(run.runId()));
        out.printf(Locale.ROOT, "spent:    $%s (sent requests at their recorded cost)%n",
                ledger.committedSpend(run.runId()).stripTrailingZeros().toPlainString());
    }

    private static boolean isLocked(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (m.contains("Database may be already in use") || m.contains("locked by another process")) return true;
        }
        return false;
    }
}
