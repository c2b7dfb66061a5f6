package dev.zbatch.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.zbatch.config.ConfigException;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.run.RunPaths;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.LedgerDatabase;
import dev.zbatch.ledger.RunInfo;
import dev.zbatch.output.Reports;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code status OUTPUT_DIR|JOB.yml} and {@code report OUTPUT_DIR|JOB.yml}: views of a run's ledger, also while the
 * run goes on in another process; nothing is sent.
 */
final class LedgerCommands {

    private final PrintStream out;
    private final PrintStream err;

    LedgerCommands(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int execute(CommandLine commandLine) {
        try {
            Path outputDir;
            Path ledgerDir;
            if (isJobSpec(commandLine.target())) {
                ZbatchProperties properties = SpringContexts.properties(commandLine);
                outputDir = RunPaths.outputDir(properties);
                ledgerDir = RunPaths.ledgerDir(properties);
            } else {
                outputDir = commandLine.target() != null ? commandLine.target()
                        : commandLine.properties().containsKey("zbatch.output.dir")
                        ? Path.of(commandLine.properties().get("zbatch.output.dir")) : null;
                if (outputDir == null) throw new ConfigException(commandLine.command() + " needs an output folder "
                        + "or a job spec, e.g. ./run.sh " + commandLine.command() + " out/sample");
                ledgerDir = commandLine.properties().containsKey("zbatch.ledger.dir")
                        ? Path.of(commandLine.properties().get("zbatch.ledger.dir"))
                        : RunPaths.defaultLedgerDir(outputDir);
            }
            if (!Files.isDirectory(ledgerDir)) throw new ConfigException(outputDir + " holds no zbatch run");
            return execute(commandLine, outputDir, ledgerDir);
        } catch (RuntimeException e) {
            return Failures.report(e, err, null);
        }
    }

    private int execute(CommandLine commandLine, Path outputDir, Path ledgerDir) {
        try (HikariDataSource dataSource = LedgerDatabase.openShared(ledgerDir)) {
            Ledger ledger = Ledger.existing(dataSource, Clock.systemUTC())
                    .orElseThrow(() -> new ConfigException(outputDir + " holds no zbatch run"));
            RunInfo run = ledger.run();
            if (commandLine.command() == Command.REPORT) {
                Reports.writeAll(ledger, outputDir);
                out.println("zbatch: wrote " + outputDir.resolve("manifest.jsonl") + ", manifest.csv and index.html");
            } else {
                RunStatus status = RunStatus.read(ledger, run, LedgerDatabase.isServed(dataSource), Instant.now());
                out.print(commandLine.json() ? status.json() + System.lineSeparator() : status.text());
            }
            return ExitCode.OK;
        }
    }

    private static boolean isJobSpec(Path target) {
        if (target == null || Files.isDirectory(target)) return false;
        String name = target.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yml") || name.endsWith(".yaml");
    }
}
