package dev.zbatch.collect;

import dev.zbatch.run.PollSchedule;
import dev.zbatch.collect.metadata.ImageMetadata;
import dev.zbatch.run.RunControl;
import dev.zbatch.run.RunStoppedException;
import dev.zbatch.cost.Price;
import dev.zbatch.run.StopReason;
import dev.zbatch.ledger.ImageNames;
import dev.zbatch.ledger.ImageRecord;
import dev.zbatch.ledger.InFlightRow;
import dev.zbatch.ledger.RowState;
import dev.zbatch.provider.ImageProvider;
import dev.zbatch.provider.PollResult;
import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.provider.account.Accounts;
import dev.zbatch.request.CanonicalJson;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.submit.InFlightRows;
import dev.zbatch.submit.Submitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects one SUBMITTED row: asks the provider where it stands, and once it is done downloads each image,
 * verifies it, writes it under its final name only when complete, and records the row COMPLETED (or FAILED,
 * EXPIRED, or PENDING again to be resent).
 */
public class RowCollector {

    private static final Logger log = LoggerFactory.getLogger(RowCollector.class);

    private final InFlightRows rows;
    private final Accounts accounts;
    private final Submitter submitter;
    private final ImageDownloads downloads;
    private final CachedImages cached;
    private final RunControl control;
    private final PollSchedule schedule;
    private final Price price;
    private final int maxAttempts;
    private final Clock clock;

    /**
     * @param submitter   sends a row again when the provider failed it without charging, or its result expired
     * @param maxAttempts how many times a row is sent in all before it ends FAILED or EXPIRED
     */
    public RowCollector(InFlightRows rows, Accounts accounts, Submitter submitter, ImageDownloads downloads,
                         CachedImages cached, RunControl control, PollSchedule schedule, Price price, int maxAttempts,
                         Clock clock) {
        this.rows = rows;
        this.accounts = accounts;
        this.submitter = submitter;
        this.downloads = downloads;
        this.cached = cached;
        this.control = control;
        this.schedule = schedule;
        this.price = price;
        this.maxAttempts = maxAttempts;
        this.clock = clock;
    }

    void collect(InFlightRow row) throws InterruptedException {
        try {
            pollAndCollect(row);
        } catch (RuntimeException e) {
            log.error("row {}: unexpected error while collecting; it will be polled again later", row.rowNo(), e);
            rows.pollAgainAt(row.rowNo(), clock.instant().plus(schedule.max()));
        }
    }

    private void pollAndCollect(InFlightRow row) throws InterruptedException {
        TrackedRequest tracked = new TrackedRequest(row.requestId(), URI.create(row.pollUrl()),
                row.resultUrl() == null ? null : URI.create(row.resultUrl()));
        // polled and downloaded at the account it was sent to, in rotation or not
        ImageProvider provider = accounts.named(row.account()).provider();
        PollResult result;
        try {
            result = provider.poll(tracked);
        } catch (ProviderException e) {
            pollFailed(row, e);
            return;
        }
        if (row.polls() == 0) {
            boolean done = !(result instanceof PollResult.Pending);
            schedule.firstPollFound(row.sinceSubmitted(), done, rows.windowNearlyFull());
        }
        if (result instanceof PollResult.Completed completed) {
            download(provider, row, tracked, completed);
        } else if (result instanceof PollResult.Failed failed) {
            rows.failed(row.rowNo(), failed.reason());
        } else if (result instanceof PollResult.Retry retry) {
            String json = row.requestJson();
            BigDecimal attemptCost = accounts.named(row.account()).pricePerImage(price.usdPerImage())
                    .multiply(BigDecimal.valueOf(CanonicalJson.read(json).numImages()));
            if (rows.failedNotCharged(row.rowNo(), retry.reason(), maxAttempts, attemptCost) == RowState.PENDING) {
                log.warn("row {}: {}; sending it again", row.rowNo(), retry.reason());
                resend(row.rowNo(), json);
            }
        } else if (result instanceof PollResult.Expired expired) {
            if (rows.expired(row.rowNo(), expired.detail(), maxAttempts) == RowState.PENDING) {
                log.warn("row {}: {}; sending it again", row.rowNo(), expired.detail());
                resend(row.rowNo(), row.requestJson());
            }
        } else {
            rows.pollAgainAt(row.rowNo(), clock.instant().plus(schedule.after(row.polls() + 1)));
        }
    }

    /** Sends a PENDING row again, unless the run is no longer submitting (the next run will). */
    void resend(long rowNo, String requestJson) throws InterruptedException {
        if (control.submittingStopped()) return;
        try {
            submitter.resubmit(rowNo, CanonicalJson.read(requestJson));
        } catch (RunStoppedException e) {
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
        rows.pollAgainAt(row.rowNo(), clock.instant().plus(wait));
    }

    private void download(ImageProvider provider, InFlightRow row, TrackedRequest tracked,
                          PollResult.Completed completed) {
        ImageRequest request = CanonicalJson.read(row.requestJson());
        ExpectedImage expected = ExpectedImage.of(request);
        ImageMetadata metadata = ImageMetadata.of(request, row, completed.seed());
        List<URI> urls = completed.imageUrls();
        List<ImageRecord> images = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            // the names claimed for this row when it was entered (more images than asked get numbered names)
            int count = Math.max(request.numImages(), urls.size());
            String name = "images/" + ImageNames.of(row.fileStem(), count, i + 1);
            // a request the row no longer makes (it changed meanwhile): paid for, so kept, beside the row's images
            if (row.superseded()) name = EarlierImages.nameFor(name, row.rowNo());
            try {
                images.add(downloads.fetch(provider, urls.get(i), i + 1, name, expected, metadata,
                        i == 0 && !row.superseded() ? row.key() : null));
            } catch (ImageVerificationException e) {
                rows.failed(row.rowNo(), "image " + (i + 1) + " failed verification: " + e.getMessage()
                        + keptNote(images));
                return;
            } catch (ProviderException e) {
                // the result is kept at the provider for a while: poll again later rather than lose the row
                log.warn("row {}: download failed ({}); will try again", row.rowNo(), e.getMessage());
                rows.pollAgainAt(row.rowNo(), clock.instant().plus(schedule.max()));
                return;
            } catch (IOException e) {
                control.halt(StopReason.resumable("cannot write " + name + " in " + downloads.outputDir() + ": " + e
                        + "; free some space or fix the folder, then run the same command again"));
                return;
            }
        }
        String mismatches = mismatches(images);
        if (mismatches != null && downloads.failOnMismatch()) {
            rows.failed(row.rowNo(), mismatches + " (zbatch.collect.on-mismatch=fail)" + keptNote(images));
        } else if (rows.completed(row.rowNo(), images, completed.seed())) {
            provider.collected(tracked);
            cached.keep(row.requestJson(), request.seed() != -1, completed.seed(), images);
        }
    }

    /** "image 1 asked 1000x1000, got 992x992", for each image that differs from the request; null when none. */
    private static String mismatches(List<ImageRecord> images) {
        List<String> each = new ArrayList<>();
        for (ImageRecord image : images) {
            if (image.mismatch() != null) each.add("image " + image.imageNo() + " " + image.mismatch());
        }
        return each.isEmpty() ? null : String.join("; ", each);
    }

    /** A FAILED row's images that were written all the same: paid for, so kept, and named in its reason. */
    private static String keptNote(List<ImageRecord> images) {
        if (images.isEmpty()) return "";
        return "; kept: " + String.join(", ", images.stream().map(ImageRecord::file).toList());
    }
}
