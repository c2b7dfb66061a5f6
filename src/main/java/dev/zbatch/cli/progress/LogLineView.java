package dev.zbatch.cli.progress;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/** For cron, CI and pipes: a plain line every {@code interval}, never an escape code. */
final class LogLineView implements ProgressView {

    private final PrintStream out;
    private final Duration interval;
    private Instant nextLine;

    LogLineView(PrintStream out, Duration interval) {
        this.out = out;
        this.interval = interval;
        this.nextLine = Instant.now().plus(interval);
    }

    @Override
    public boolean wantsFigures() {
        return !Instant.now().isBefore(nextLine);
    }

    @Override
    public void show(ProgressFigures figures) {
        nextLine = Instant.now().plus(interval);
        out.println("zbatch: " + figures.logLine());
        out.flush();
    }

    @Override
    public void close() {
    }
}
