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
            case "help" -> {
                out.print(Help.TEXT);
                yield ExitCode.OK;
            }
            case "version" -> {
                out.println("zbatch " + version());
                yield ExitCode.OK;
            }
            case "run" -> new RunCommand(out, err, signals).execute(commandLine);
            case "retry" -> {
                if (RunCommand.sendAgain(commandLine).isEmpty()) {
                    err.println("zbatch: retry needs --failed, --expired or --unknown (see ./run.sh help)");
                    yield ExitCode.USAGE;
                }
                yield new RunCommand(out, err, signals).execute(commandLine);
            }
            case "estimate" -> new EstimateCommand(out, err).execute(commandLine);
            case "status", "report" -> new LedgerCommands(out, err).execute(commandLine);
            case "bench" -> new BenchCommand(out, err).execute(commandLine);
            case "bench-sync" -> new SyncBenchCommand(out, err).execute(commandLine);
            default -> {
                err.println("zbatch: '" + commandLine.command() + "' is not available in this version yet "
                        + "(see ./run.sh help)");
                yield ExitCode.USAGE;
            }
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
