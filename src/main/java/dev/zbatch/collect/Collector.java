package dev.zbatch.collect;

import dev.zbatch.control.RunControl;
import dev.zbatch.control.StopReason;
import dev.zbatch.ledger.ImageRecord;
import dev.zbatch.ledger.InFlightRow;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.RowState;
import dev.zbatch.output.AtomicFiles;
import dev.zbatch.provider.FetchedImage;
import dev.zbatch.provider.ImageProvider;
import dev.zbatch.provider.PollResult;
import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.request.CanonicalJson;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.submit.InFlightWindow;
import dev.zbatch.submit.Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Collects what is in flight: polls each SUBMITTED row when it is due, downloads each finished image at once,
 * verifies it, writes it under its final name only when complete, and records the row COMPLETED (or FAILED,
 * or EXPIRED). Runs beside the submitter; the run's collecting ends when submitting is over and nothing is
 * in flight.
 */
public class Collector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Collector.class);

    private final Ledger ledger;
    private final long runId;
    private final ImageProvider provider;
    private final Path outputDir;
    private final InFlightWindow window;
    private final RunControl control;
    private final PollSchedule schedule;
    private final Retry downloadRetry;
    private final ImageVerifier verifier = new ImageVerifier();
    private final Clock clock;
    private final int threads;
    private final ExecutorService workers;
    private final Set<Long> inProgress = ConcurrentHashMap.newKeySet();

    public Collector(Ledger ledger, long runId, ImageProvider provider, Path outputDir, InFlightWindow window,
                     RunControl control, PollSchedule schedule, Retry downloadRetry, int threads, Clock clock) {
        this.ledger = ledger;
        this.runId = runId;
        this.provider = provider;
        this.outputDir = outputDir;
        this.window = window;
        this.control = control;
        this.schedule = schedule;
        this.downloadRetry = downloadRetry;
        this.threads = threads;
        this.clock = clock;
        this.workers = Executors.newFixedThreadPool(threads, daemonThreads("zbatch-collect-"));
    }

    /**
     * One pass: hands the rows now due to the workers, then waits a little. Returns true once there is nothing
     * left to collect in this run (or the run is halted), after the workers have finished what they hold.
     */
    public boolean pass() throws InterruptedException {
        if (control.halted()) return drained();
        Instant now = clock.instant();
        for (InFlightRow row : ledger.dueForPoll(runId, now, threads * 4 + inProgress.size())) {
            if (inProgress.add(row.rowNo())) {
                workers.execute(() -> {
                    try {
                        collect(row);
                    } catch (RuntimeException e) {
                        log.error("row {}: unexpected error while collecting; it will be polled again", row.rowNo(), e);
                        ledger.schedulePoll(runId, row.rowNo(), clock.instant().plus(schedule.max()));
                    } finally {
                        inProgress.remove(row.rowNo());
                    }
                });
            }
        }
        if (control.submitFinished() && inProgress.isEmpty()
                && ledger.countInState(runId, RowState.SUBMITTED) == 0) {
            return drained();
        }
        Instant next = ledger.nextPollAt(runId).orElse(now.plusMillis(250));
        long sleep = Math.max(20, Math.min(250, Duration.between(clock.instant(), next).toMillis()));
        Thread.sleep(sleep);
        return false;
    }

    private boolean drained() throws InterruptedException {
        workers.shutdown();
        // no interrupts: an interrupted thread inside H2 would close its file; calls have their own timeouts
        while (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
            log.info("waiting for {} collections under way", inProgress.size());
        }
        return true;
    }

    void collect(InFlightRow row) {
        TrackedRequest tracked = new TrackedRequest(row.requestId(), URI.create(row.pollUrl()),
                row.resultUrl() == null ? null : URI.create(row.resultUrl()));
        PollResult result;
        try {
            result = provider.poll(tracked);
        } catch (ProviderException e) {
            pollFailed(row, e);
            return;
        }
        if (result instanceof PollResult.Completed completed) {
            download(row, completed);
        } else if (result instanceof PollResult.Failed failed) {
            ledger.markFailed(runId, row.rowNo(), failed.reason());
            window.collected();
        } else if (result instanceof PollResult.Expired expired) {
            ledger.markExpired(runId, row.rowNo(), expired.detail());
            window.collected();
        } else {
            ledger.schedulePoll(runId, row.rowNo(), clock.instant().plus(schedule.after(row.polls() + 1)));
        }
    }

    private void pollFailed(InFlightRow row, ProviderException e) {
        if (e.kind() == ProviderException.Kind.AUTH) {
            control.halt(StopReason.resumable(e.getMessage() + "; fix it and run the same command again"));
            return;
        }
        Duration wait = e.retryAfter() != null ? e.retryAfter() : schedule.after(row.polls() + 1);
        log.warn("row {}: poll failed ({}); asking again in {} ms", row.rowNo(), e.getMessage(), wait.toMillis());
        ledger.schedulePoll(runId, row.rowNo(), clock.instant().plus(wait));
    }

    private void download(InFlightRow row, PollResult.Completed completed) {
        ImageRequest request = CanonicalJson.read(row.requestJson());
        List<URI> urls = completed.imageUrls();
        List<ImageRecord> images = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            String name = (urls.size() == 1 ? row.fileStem() : row.fileStem() + "-" + (i + 1));
            try {
                images.add(fetchVerifyWrite(urls.get(i), i + 1, name, request));
            } catch (ImageVerificationException e) {
                ledger.markFailed(runId, row.rowNo(), "image " + (i + 1) + " failed verification: " + e.getMessage());
                window.collected();
                return;
            } catch (ProviderException e) {
                // the result is kept at the provider for a while: poll again later rather than lose the row
                log.warn("row {}: download failed ({}); will try again", row.rowNo(), e.getMessage());
                ledger.schedulePoll(runId, row.rowNo(), clock.instant().plus(schedule.max()));
                return;
            } catch (IOException e) {
                control.halt(StopReason.resumable("cannot write " + name + " in " + outputDir + ": " + e
                        + "; free some space or fix the folder, then run the same command again"));
                return;
            }
        }
        ledger.markCompleted(runId, row.rowNo(), images, completed.seed());
        window.collected();
    }

    private ImageRecord fetchVerifyWrite(URI url, int imageNo, String name, ImageRequest request)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                FetchedImage fetched = provider.download(url);
                VerifiedImage image = verifier.verify(fetched.bytes(), request.imageFormat(), request.width(),
                        request.height());
                String file = "images/" + name + "." + request.fileExtension();
                AtomicFiles.write(AtomicFiles.resolveInside(outputDir, file), fetched.bytes());
                return new ImageRecord(imageNo, file, image.bytes(), image.sha256(), image.width(), image.height(),
                        image.contentType());
            } catch (ProviderException | ImageVerificationException e) {
                boolean retryable = e instanceof ImageVerificationException
                        || ((ProviderException) e).kind() == ProviderException.Kind.TRANSIENT
                        || ((ProviderException) e).kind() == ProviderException.Kind.RATE_LIMITED;
                if (!retryable || attempt >= downloadRetry.maxAttempts()) throw e;
                Duration wait = downloadRetry.delay(attempt,
                        e instanceof ProviderException pe ? pe.retryAfter() : null);
                sleep(wait);
            }
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        workers.shutdown();
    }

    static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
