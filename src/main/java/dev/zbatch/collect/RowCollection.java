package dev.zbatch.collect;

import dev.zbatch.collect.metadata.ImageMetadata;
import dev.zbatch.collect.metadata.MetadataEmbedder;
import dev.zbatch.control.RunControl;
import dev.zbatch.cost.Price;
import dev.zbatch.control.StopReason;
import dev.zbatch.ledger.ImageNames;
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
import dev.zbatch.submit.Budget;
import dev.zbatch.submit.InFlightWindow;
import dev.zbatch.submit.Retry;
import dev.zbatch.submit.Submitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects one SUBMITTED row: asks the provider where it stands, and once it is done downloads each image,
 * verifies it, writes it under its final name only when complete, and records the row COMPLETED (or FAILED,
 * EXPIRED, or PENDING again to be resent).
 */
public class RowCollection {

    private static final Logger log = LoggerFactory.getLogger(RowCollection.class);

    private final Ledger ledger;
    private final ImageProvider provider;
    private final Submitter submitter;
    private final int maxAttempts;
    private final Price price;
    private final Budget budget;
    private final Path outputDir;
    private final InFlightWindow window;
    private final RunControl control;
    private final PollSchedule schedule;
    private final Retry downloadRetry;
    private final Clock clock;
    private final ImageVerifier verifier = new ImageVerifier();
    private final MetadataEmbedder metadataEmbedder;
    private final EarlierImages earlierImages;

    public RowCollection(Ledger ledger, ImageProvider provider, Submitter submitter, int maxAttempts,
                         Price price, Budget budget, Path outputDir, InFlightWindow window, RunControl control, PollSchedule schedule,
                  Retry downloadRetry, Clock clock, MetadataEmbedder metadataEmbedder) {
        this.ledger = ledger;
        this.provider = provider;
        this.submitter = submitter;
        this.maxAttempts = maxAttempts;
        this.price = price;
        this.budget = budget;
        this.outputDir = outputDir;
        this.window = window;
        this.control = control;
        this.schedule = schedule;
        this.downloadRetry = downloadRetry;
        this.clock = clock;
        this.metadataEmbedder = metadataEmbedder;
        this.earlierImages = new EarlierImages(ledger, outputDir);
    }

    void collect(InFlightRow row) throws InterruptedException {
        try {
            pollAndCollect(row);
        } catch (RuntimeException e) {
            log.error("row {}: unexpected error while collecting; it will be polled again later", row.rowNo(), e);
            ledger.schedulePoll(row.rowNo(), clock.instant().plus(schedule.max()));
        }
    }

    private void pollAndCollect(InFlightRow row) throws InterruptedException {
        TrackedRequest tracked = new TrackedRequest(row.requestId(), URI.create(row.pollUrl()),
                row.resultUrl() == null ? null : URI.create(row.resultUrl()));
        PollResult result;
        try {
            result = provider.poll(tracked);
        } catch (ProviderException e) {
            pollFailed(row, e);
            return;
        }
        if (row.polls() == 0) {
            schedule.firstPollFound(row.sinceSubmitted(), !(result instanceof PollResult.Pending), window.nearlyFull());
        }
        if (result instanceof PollResult.Completed completed) {
            download(row, tracked, completed);
        } else if (result instanceof PollResult.Failed failed) {
            ledger.markFailed(row.rowNo(), failed.reason());
            window.collected();
        } else if (result instanceof PollResult.Retry retry) {
            window.collected();
            String json = row.requestJson();
            BigDecimal attemptCost = price.of(CanonicalJson.read(json).numImages());
            RowState next = ledger.markForRetry(row.rowNo(), retry.reason(), maxAttempts, attemptCost);
            budget.release(attemptCost); // not charged
            if (next == RowState.PENDING) {
                log.warn("row {}: {}; sending it again", row.rowNo(), retry.reason());
                resend(row.rowNo(), json);
            }
        } else if (result instanceof PollResult.Expired expired) {
            window.collected();
            if (ledger.markExpiredForResend(row.rowNo(), expired.detail(), maxAttempts) == RowState.PENDING) {
                log.warn("row {}: {}; sending it again", row.rowNo(), expired.detail());
                resend(row.rowNo(), row.requestJson());
            }
        } else {
            ledger.schedulePoll(row.rowNo(), clock.instant().plus(schedule.after(row.polls() + 1)));
        }
    }

    /** Sends a PENDING row again, unless the run is no longer submitting (the next run will). */
    void resend(long rowNo, String requestJson) throws InterruptedException {
        if (control.submittingStopped()) return;
        try {
            submitter.resubmit(rowNo, CanonicalJson.read(requestJson));
        } catch (dev.zbatch.control.RunStoppedException e) {
            log.info("row {} stays PENDING: {}", rowNo, e.getMessage());
        }
    }

    private void pollFailed(InFlightRow row, ProviderException e) {
        if (e.kind() == ProviderException.Kind.AUTH) {
            control.halt(StopReason.resumable(e.getMessage() + "; fix it and run the same command again"));
            return;
        }
        Duration wait = e.retryAfter() != null ? e.retryAfter() : schedule.after(row.polls() + 1);
        log.warn("row {}: poll failed ({}); asking again in {} ms", row.rowNo(), e.getMessage(), wait.toMillis());
        ledger.schedulePoll(row.rowNo(), clock.instant().plus(wait));
    }

    private void download(InFlightRow row, TrackedRequest tracked, PollResult.Completed completed) {
        ImageRequest request = CanonicalJson.read(row.requestJson());
        ExpectedImage expected = ExpectedImage.of(request);
        ImageMetadata metadata = ImageMetadata.of(request, row, completed.seed());
        List<URI> urls = completed.imageUrls();
        List<ImageRecord> images = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            // the names claimed for this row when it was entered (more images than asked get numbered names)
            int count = Math.max(request.numImages(), urls.size());
            String file = "images/" + ImageNames.of(row.fileStem(), count, i + 1) + "." + request.fileExtension();
            // a request the row no longer makes (it changed meanwhile): paid for, so kept, beside the row's images
            if (row.superseded()) file = EarlierImages.placeFor(file, row.rowNo());
            try {
                images.add(fetchVerifyWrite(urls.get(i), i + 1, file, expected, metadata,
                        i == 0 && !row.superseded() ? row.key() : null));
            } catch (ImageVerificationException e) {
                ledger.markFailed(row.rowNo(), "image " + (i + 1) + " failed verification: " + e.getMessage());
                window.collected();
                return;
            } catch (ProviderException e) {
                // the result is kept at the provider for a while: poll again later rather than lose the row
                log.warn("row {}: download failed ({}); will try again", row.rowNo(), e.getMessage());
                ledger.schedulePoll(row.rowNo(), clock.instant().plus(schedule.max()));
                return;
            } catch (IOException e) {
                control.halt(StopReason.resumable("cannot write " + file + " in " + outputDir + ": " + e
                        + "; free some space or fix the folder, then run the same command again"));
                return;
            }
        }
        if (ledger.markCompleted(row.rowNo(), images, completed.seed())) provider.collected(tracked);
        window.collected();
    }

    /** @param replacesFor the row key whose earlier images this one replaces (moved aside first), or null */
    private ImageRecord fetchVerifyWrite(URI url, int imageNo, String file, ExpectedImage expected,
                                         ImageMetadata metadata, String replacesFor) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                FetchedImage fetched = provider.download(url);
                VerifiedImage image = expected.verify(verifier, fetched.bytes());
                byte[] bytes = metadataEmbedder.embed(fetched.bytes(), image.format(), metadata);
                if (replacesFor != null) earlierImages.setAside(replacesFor);
                Path target = AtomicFiles.resolveInside(outputDir, file);
                if (file.startsWith(EarlierImages.FOLDER)) Files.createDirectories(target.getParent());
                AtomicFiles.write(target, bytes);
                // hashed once, as written (with its metadata): the manifest describes the file on disk
                return new ImageRecord(imageNo, file, bytes.length, ImageVerifier.sha256(bytes), image.width(),
                        image.height(), image.contentType());
            } catch (ProviderException | ImageVerificationException e) {
                boolean retryable = e instanceof ImageVerificationException
                        || ((ProviderException) e).kind() == ProviderException.Kind.TRANSIENT
                        || ((ProviderException) e).kind() == ProviderException.Kind.RATE_LIMITED;
                if (!retryable || attempt >= downloadRetry.maxAttempts() || control.halted()) throw e;
                sleep(downloadRetry.delay(attempt, e instanceof ProviderException pe ? pe.retryAfter() : null));
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
}
