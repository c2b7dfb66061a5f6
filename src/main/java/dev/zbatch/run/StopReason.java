package dev.zbatch.run;

/**
 * Why a run stopped before its end: a message for the user (what happened and what to do) and the exit code.
 * Every early stop is resumable: the same command again continues.
 */
public record StopReason(String message, int exitCode) {

    public static final int RESUMABLE = 4;

    public static StopReason resumable(String message) {
        return new StopReason(message, RESUMABLE);
    }
}
