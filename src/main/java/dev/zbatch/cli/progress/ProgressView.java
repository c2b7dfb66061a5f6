package dev.zbatch.cli.progress;

/** Where progress is shown: a redrawn bar on a terminal, or plain lines in a log. */
interface ProgressView extends AutoCloseable {

    /** Whether {@link #show} would show anything now (reading the ledger costs, the more so the bigger the run). */
    boolean wantsFigures();

    /** Called, when it wants them, with the latest figures. */
    void show(ProgressFigures figures);

    @Override
    void close();
}
