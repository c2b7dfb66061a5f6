package dev.zbatch.cli;

/** Exit codes, for cron and scripts (README.md lists them). */
public final class ExitCode {

    /** Every row has its images. */
    public static final int OK = 0;
    /** An unexpected error. */
    public static final int UNEXPECTED = 1;
    /** The command or configuration cannot be used; nothing was sent. */
    public static final int USAGE = 2;
    /** Finished, but some rows are FAILED, REJECTED, SKIPPED, EXPIRED or UNKNOWN (see the manifest). */
    public static final int INCOMPLETE = 3;
    /** Stopped before the end (Ctrl-C, auth or credit error); the same command again resumes. */
    public static final int STOPPED = 4;

    private ExitCode() {
    }
}
