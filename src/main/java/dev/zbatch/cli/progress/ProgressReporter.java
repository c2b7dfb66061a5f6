package dev.zbatch.cli.progress;

import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.input.InputFiles;
import dev.zbatch.input.InputOptions;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.RunInfo;
import dev.zbatch.ledger.RunProgress;
import dev.zbatch.output.SpendWords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches a run from the ledger while it goes on: shows progress (a bar on a terminal, log lines otherwise),
 * keeps the run's heartbeat fresh for {@code status} in another process, and counts the input's rows beside
 * the work so that progress has a total before the reader reaches the end.
 */
public final class ProgressReporter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);
    /** How often the running process says it is alive ({@code status} shows when it last did). */
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /** Reading the ledger may take at most this share of the time (it grows with the run's rows). */
    private static final int READ_SHARE = 20;

    private final Ledger ledger;
    private final ProgressView view;
    private final RunProgress atStart;
    private final boolean sandbox;
    private final RunInfo earlier;
    private final Instant started;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "zbatch-progress");
        t.setDaemon(true);
        return t;
    });
    private Instant nextHeartbeat = Instant.now().plus(HEARTBEAT);
    private Instant nextRead = Instant.now();
    private Long total;

    private ProgressReporter(Ledger ledger, RunInfo run, RunProgress atStart, Instant started, ProgressView view) {
        this.ledger = ledger;
        this.view = view;
        this.atStart = atStart;
        this.earlier = run;
        this.started = started;
        this.total = run.inputRows();
        this.sandbox = SpendWords.isSandbox(run.provider());
    }

    public static ProgressReporter start(Ledger ledger, RunInfo run, Path input, InputOptions format,
                                         ZbatchProperties.Progress settings, PrintStream out, PrintStream err) {
        RunProgress atStart = ledger.progress();
        ProgressView view = view(settings, out, err, atStart.done(), run.inputRows());
        Instant started = ledger.markRunStarted(atStart);
        if (run.inputRows() == null) countRows(ledger, input, format);
        ProgressReporter reporter = new ProgressReporter(ledger, run, atStart, started, view);
        reporter.ticker.scheduleWithFixedDelay(reporter::tick, 1, 1, TimeUnit.SECONDS);
        return reporter;
    }

    private static ProgressView view(ZbatchProperties.Progress settings, PrintStream out, PrintStream err,
                                     long doneAtStart, Long total) {
        return switch (settings.mode()) {
            case AUTO -> System.console() != null ? new BarView(err, doneAtStart, total)
                    : new LogLineView(out, settings.interval());
            case BAR -> new BarView(err, doneAtStart, total);
            case LOG -> new LogLineView(out, settings.interval());
            case OFF -> null;
        };
    }

    private static void countRows(Ledger ledger, Path input, InputOptions format) {
        Thread counter = new Thread(() -> {
            try {
                ledger.recordRowsTotal(InputFiles.countRows(input, format));
            } catch (RuntimeException e) {
                log.debug("cannot count the input's rows; progress goes on without a total", e);
            }
        }, "zbatch-count-rows");
        counter.setDaemon(true);
        counter.setPriority(Thread.MIN_PRIORITY);
        counter.start();
    }

    private void tick() {
        try {
            Instant now = Instant.now();
            if (!now.isBefore(nextHeartbeat)) {
                ledger.heartbeat();
                nextHeartbeat = now.plus(HEARTBEAT);
            }
            if (view == null || now.isBefore(nextRead) || !view.wantsFigures()) return;
            RunProgress progress = ledger.progress();
            if (total == null) total = ledger.run().inputRows();
            Duration took = Duration.between(now, Instant.now());
            nextRead = Instant.now().plus(took.multipliedBy(READ_SHARE));
            view.show(figures(progress));
        } catch (RuntimeException e) {
            log.debug("progress: cannot read the ledger", e);
        }
    }

    /** The run as it stood when this process began on it. */
    public RunProgress atStart() {
        return atStart;
    }

    /** Stops the display and records how the run ended, for {@code status}. */
    public void close(String outcome) {
        close(outcome, null);
    }

    /**
     * Stops the display and records how the run ended, for {@code status}; a pass that changed nothing and ends
     * as the run had ended before (a finished run read again) leaves the earlier record as it was.
     *
     * @param end the run as it stands now
     */
    public void close(String outcome, RunProgress end) {
        close();
        try {
            if (changedNothing(outcome, end)) ledger.restoreRunRecord(earlier);
            else ledger.markRunEnded(outcome);
        } catch (RuntimeException e) {
            log.warn("cannot record how the run ended: {}", e.getMessage());
        }
    }

    private boolean changedNothing(String outcome, RunProgress end) {
        return end != null && earlier.endedAt() != null && outcome.equals(earlier.outcome()) && end.sameAs(atStart);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (view != null) {
            if (view.wantsFigures()) tickOnce();
            view.close();
        }
    }

    private ProgressFigures figures(RunProgress now) {
        return new ProgressFigures(now, atStart.done(), atStart.images(), total, Duration.between(started, Instant.now()),
                sandbox);
    }

    /** A last reading, so that the bar ends on the true figures. */
    private void tickOnce() {
        try {
            view.show(figures(ledger.progress()));
        } catch (RuntimeException e) {
            log.debug("progress: cannot read the ledger", e);
        }
    }
}
