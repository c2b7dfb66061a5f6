package dev.zbatch.cli;

import dev.zbatch.config.SettingProblems;
import dev.zbatch.config.ConfigException;
import dev.zbatch.input.InputException;
import org.springframework.boot.context.properties.bind.BindException;

import java.io.PrintStream;

/** Turns what went wrong into one line for the user and an exit code; never a stack trace on the console. */
final class Failures {

    private Failures() {
    }

    /** A problem the user can fix (exit 2), or null when the throwable is not one. */
    static String usageProblem(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConfigException || c instanceof InputException) return c.getMessage();
            if (c instanceof BindException bind) {
                String described = SettingProblems.describe(bind);
                if (described != null) return described;
                Throwable root = bind;
                while (root.getCause() != null) root = root.getCause();
                return "cannot use " + bind.getName() + ": " + root.getMessage();
            }
            if (c.getClass().getName().startsWith("org.springframework.boot.context.config.ConfigData")) {
                return c.getMessage();
            }
        }
        return null;
    }

    /**
     * The input problem that stopped a run after it had read data rows (rows before it may have been sent, so
     * "nothing was sent", exit 2, would not be true), or null.
     */
    private static InputException inputProblemAfterRows(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InputException input) return input.rowNo() > 1 ? input : null;
        }
        return null;
    }

    /**
     * How a run that ended on this failure ended, in the words {@code status} shows: the input's problem or the
     * setting's when it is one ("stopped: prompts.csv:26: …; fix it and run the same command again"), else the
     * unexpected error.
     */
    static String outcomeWords(Throwable t) {
        String usage = usageProblem(t);
        if (usage != null) return "stopped: " + usage + "; fix it and run the same command again";
        Throwable root = t;
        while (root.getCause() != null) root = root.getCause();
        return "failed: unexpected error: " + root + " (see .zbatch/zbatch.log)";
    }

    /** Keeps the stack trace for a bug report without showing it; returns where, or null. */
    private static String saveStackTrace(Throwable t) {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("zbatch-error-", ".log");
            try (java.io.PrintWriter w = new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(file))) {
                t.printStackTrace(w);
            }
            return file.toString();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * @param logHint where the run's log is, or null when no run has started (the configuration or the input's
     *                header could not be used, or the command sends nothing, like {@code estimate})
     */
    static int report(Throwable t, PrintStream err, String logHint) {
        InputException midRun = logHint != null ? inputProblemAfterRows(t) : null;
        if (midRun != null) {
            err.println("zbatch: " + midRun.getMessage());
            err.println("zbatch: the run stopped at line " + midRun.line() + " of " + midRun.file().getFileName()
                    + ": rows before it that were sent are kept (see the manifest) and are never sent again;"
                    + " fix that line and run the same command again to continue");
            return ExitCode.STOPPED;
        }
        String usage = usageProblem(t);
        if (usage != null) {
            err.println("zbatch: " + usage);
            return ExitCode.USAGE;
        }
        Throwable root = t;
        while (root.getCause() != null) root = root.getCause();
        String details = logHint != null ? logHint : saveStackTrace(t);
        err.println("zbatch: unexpected error: " + root + (details == null ? "" : " (details in " + details + ")"));
        return ExitCode.UNEXPECTED;
    }
}
