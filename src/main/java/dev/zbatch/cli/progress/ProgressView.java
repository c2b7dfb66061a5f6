package dev.zbatch.cli.progress;

/** Where progress is shown: a redrawn bar on a terminal, or plain lines in a log. */
interface ProgressView extends AutoCloseable {

    /** Called about once a second with the latest figures. */
    void show(ProgressFigures figures);

    @Override
    void close();
}
