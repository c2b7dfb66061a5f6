package dev.zbatch.cli;

import dev.zbatch.config.ConfigException;

import java.io.PrintStream;
import java.util.List;

/** Dispatches a command line to its command and returns the exit code (see {@link ExitCode}). */
public final class Zbatch {

    static final String DEFAULT_JOB = "jobs/sample.yml";

    private Zbatch() {
    }

    /** Runs one command; {@code signals} may be null (tests), then Ctrl-C is not handled specially. */
    public static int execute(String[] args, PrintStream out, PrintStream err, Signals signals) {
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(List.of(args));
        } catch (ConfigException e) {
            err.println("zbatch: " + e.getMessage());
            return ExitCode.USAGE;
        }
        if (args.length == 0) {
            commandLine = CommandLine.parse(List.of("run", DEFAULT_JOB));
        }
        return switch (commandLine.command()) {
            case HELP -> {
                out.print(Help.TEXT);
                yield ExitCode.OK;
            }
            case VERSION -> {
                out.println("zbatch " + version());
                yield ExitCode.OK;
            }
            case RUN -> new RunCommand(out, err, signals).execute(commandLine);
            case RETRY -> {
                if (RunCommand.sendAgain(commandLine).isEmpty()) {
                    err.println("zbatch: retry needs --failed, --expired or --unknown (see ./run.sh help)");
                    yield ExitCode.USAGE;
                }
                yield new RunCommand(out, err, signals).execute(commandLine);
            }
            case ESTIMATE -> new EstimateCommand(out, err).execute(commandLine);
            case STATUS, REPORT -> new LedgerCommands(out, err).execute(commandLine);
            case BENCH -> new BenchCommand(out, err).execute(commandLine);
            case BENCH_SYNC -> new SyncBenchCommand(out, err).execute(commandLine);
        };
    }

    /** For tests: the same without signal handling. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        return execute(args, out, err, null);
    }

    private static String version() {
        String v = Zbatch.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
