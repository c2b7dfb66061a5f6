package dev.zbatch.cli.progress;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

/** A terminal progress bar (me.tongfei:progressbar) on standard error: rows done of the input, with details. */
final class BarView implements ProgressView {

    private final ProgressBar bar;
    private volatile ProgressFigures latest; // read by the bar's own refresh thread

    BarView(PrintStream err, long doneAtStart, Long total) {
        this.bar = new ProgressBarBuilder()
                .setTaskName("zbatch")
                .setInitialMax(total == null ? -1 : total)
                .setUnit(" rows", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(1000)
                .setConsumer(new ConsoleProgressBarConsumer(err))
                .startsFrom(doneAtStart, Duration.ZERO)
                .setEtaFunction(state -> Optional.ofNullable(latest == null ? null : latest.eta()))
                .build();
        ConsoleLogEncoder.barShown(true);
    }

    @Override
    public boolean wantsFigures() {
        return true;
    }

    @Override
    public void show(ProgressFigures figures) {
        latest = figures;
        if (figures.total() != null && bar.getMax() != figures.total()) bar.maxHint(figures.total());
        bar.stepTo(figures.done());
        bar.setExtraMessage(figures.barDetails());
    }

    @Override
    public void close() {
        bar.close();
        ConsoleLogEncoder.barShown(false);
    }
}
