package dev.zbatch.cli;

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

    static int report(Throwable t, PrintStream err, String logHint) {
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
