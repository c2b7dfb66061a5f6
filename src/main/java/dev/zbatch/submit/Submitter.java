package dev.zbatch.submit;

import dev.zbatch.run.Retry;
import dev.zbatch.run.InFlightWindow;
import dev.zbatch.run.Budget;
import dev.zbatch.run.PollAlarm;
import dev.zbatch.run.PollSchedule;
import dev.zbatch.cost.Price;
import dev.zbatch.run.RunControl;
import dev.zbatch.run.RunStoppedException;
import dev.zbatch.run.StopReason;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.provider.ImageProvider;
import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.Submission;
import dev.zbatch.request.ImageRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Sends one row's request and records the outcome in the ledger at once. The row is SUBMITTING while its
 * request is on the wire, so that a crash leaves evidence (it becomes UNKNOWN, never silently resent).
 */
public class Submitter {

    private static final Logger log = LoggerFactory.getLogger(Submitter.class);

    /** A row given up after this many 429s in a row stops the run (resumably): the limit is set too high. */
    private static final int RATE_LIMITED_ATTEMPTS = 20;

    private final Ledger ledger;
    private final ImageProvider provider;
    private final String model;
    private final InFlightWindow window;
    private final RunControl control;
    private final Retry retry;
    private final PollSchedule pollSchedule;
    private final PollAlarm pollAlarm;
    private final Budget budget;
    private final Price price;
    /** Until the provider has accepted one submission of this run, one goes at a time: a wrong key costs one. */
    private final java.util.concurrent.Semaphore probe = new java.util.concurrent.Semaphore(1);
    private volatile boolean accepted;
    private final String keyVariable;
    private final Clock clock;

    public Submitter(Ledger ledger, ImageProvider provider, String model, InFlightWindow window, RunControl control,
                     Retry retry, PollSchedule pollSchedule, PollAlarm pollAlarm, Budget budget, Price price,
                     String keyVariable, Clock clock) {
        this.ledger = ledger;
        this.provider = provider;
        this.model = model;
        this.window = window;
        this.control = control;
        this.retry = retry;
        this.pollSchedule = pollSchedule;
        this.pollAlarm = pollAlarm;
        this.budget = budget;
        this.price = price;
        this.keyVariable = keyVariable;
        this.clock = clock;
    }

    /**
     * Submits a PENDING row, retrying what certainly did not reach the provider.
     *
     * @throws RunStoppedException when the run has been told to stop (before or because of this row)
     */
    public void submit(long rowNo, ImageRequest request) throws InterruptedException {
        send(rowNo, request, true);
    }

    /**
     * Sends a PENDING row again after its earlier attempt failed at the provider, from the collector: outside
     * the in-flight window, since the row was in flight already (waiting for room there could wait for itself).
     */
    public void resubmit(long rowNo, ImageRequest request) throws InterruptedException {
        send(rowNo, request, false);
    }

    private void send(long rowNo, ImageRequest request, boolean inWindow) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Duration wait = trySubmit(rowNo, request, attempt, inWindow);
            if (wait == null) return;
            sleepUnlessStopped(wait); // the row is PENDING while it waits
        }
    }

    /** Waits before a retry, in short naps, and gives up as soon as the run is told to stop. */
    private void sleepUnlessStopped(Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        for (long left = wait.toNanos(); left > 0; left = until - System.nanoTime()) {
            if (control.submittingStopped()) throw new RunStoppedException(control.stopReason());
            Thread.sleep(Math.max(1, Math.min(250, left / 1_000_000)));
        }
    }

    /** One attempt; returns how long to wait before the next one, or null when the row needs no more. */
    private Duration trySubmit(long rowNo, ImageRequest request, int attempt, boolean inWindow)
            throws InterruptedException {
        if (control.budgetExhausted()) {
            ledger.markSkipped(rowNo, control.stopReason().message());
            return null;
        }
        if (inWindow && !window.acquire(control::submittingStopped)) {
            throw new RunStoppedException(control.stopReason());
        }
        boolean probing = false;
        try {
            if (!accepted) {
                probe.acquire(); // the run's first submissions go one at a time, until one is accepted
                probing = !accepted;
                if (!probing) probe.release();
            }
            provider.awaitTurnToSubmit(); // the rate limit: waited for while the row is still PENDING
            if (control.submittingStopped()) throw new RunStoppedException(control.stopReason());
            BigDecimal cost = price.of(request.numImages());
            if (!budget.tryReserve(cost)) {
                control.budgetExhausted(StopReason.resumable(String.format(Locale.ROOT,
                        "the budget cap of $%s is reached ($%s committed); the rows not sent are SKIPPED: raise "
                                + "--max-cost (zbatch.budget.max-cost) and run the same command again",
                        budget.cap().toPlainString(), budget.committed().toPlainString())));
                ledger.markSkipped(rowNo, control.stopReason().message());
                return null;
            }
            if (!ledger.markSubmitting(rowNo, cost)) { // no longer PENDING: someone else moved it
                budget.release(cost);
                return null;
            }
            return send(rowNo, request, attempt, cost);
        } finally {
            if (probing) probe.release();
            if (inWindow) window.release();
        }
    }

    /** The row is SUBMITTING with {@code cost} reserved: sends it and records what came of it. */
    private Duration send(long rowNo, ImageRequest request, int attempt, BigDecimal cost) {
        try {
            Submission submission = provider.submit(model, request);
            accepted = true;
            Instant firstPoll = clock.instant().plus(pollSchedule.firstDelay());
            ledger.markSubmitted(rowNo, submission, firstPoll, cost);
            pollAlarm.dueAt(firstPoll);
            budget.settle(cost, submission.costUsd() != null ? submission.costUsd() : cost);
            return null;
        } catch (ProviderException e) {
            if (e.kind() != ProviderException.Kind.AMBIGUOUS_SUBMIT && !mayHaveBeenAccepted(e)) {
                budget.release(cost); // certainly not accepted, so not charged
            }
            return handle(rowNo, e, attempt, cost);
        } catch (RunStoppedException e) {
            throw e;
        } catch (RuntimeException e) {
            ledger.markUnknown(rowNo, "unexpected error while sending: " + e);
            throw e;
        }
    }

    /** A PROTOCOL answer that was not a refusal: the request may have been accepted (see {@link #handle}). */
    private static boolean mayHaveBeenAccepted(ProviderException e) {
        return e.kind() == ProviderException.Kind.PROTOCOL && !(e.httpStatus() >= 400 && e.httpStatus() < 500);
    }

    private Duration handle(long rowNo, ProviderException e, int attempt, BigDecimal reserved) {
        switch (e.kind()) {
            case BAD_REQUEST -> {
                ledger.markRejectedByProvider(rowNo, "the provider refused the request: " + e.getMessage(),
                        reserved);
                return null;
            }
            case PROTOCOL -> {
                if (e.httpStatus() >= 400 && e.httpStatus() < 500) { // refused, so certainly not accepted
                    ledger.returnToPending(rowNo, reserved);
                    StopReason reason = StopReason.resumable("the provider refused the submission: "
                            + e.getMessage());
                    control.halt(reason);
                    throw new RunStoppedException(reason);
                }
                ledger.markUnknown(rowNo, "the request may have been accepted: " + e.getMessage());
                return null;
            }
            case AMBIGUOUS_SUBMIT -> {
                ledger.markUnknown(rowNo, "the request may have been accepted: " + e.getMessage());
                return null;
            }
            case AUTH -> {
                ledger.returnToPending(rowNo, reserved);
                boolean named = keyVariable == null || e.getMessage().contains(keyVariable);
                StopReason reason = StopReason.resumable(e.getMessage()
                        + (named ? "" : " (the key comes from " + keyVariable + ")")
                        + "; fix it and run the same command again");
                control.halt(reason);
                throw new RunStoppedException(reason);
            }
            case CREDITS -> {
                ledger.returnToPending(rowNo, reserved);
                StopReason reason = StopReason.resumable(e.getMessage());
                control.stopSubmitting(reason);
                throw new RunStoppedException(reason);
            }
            case RATE_LIMITED -> {
                // the pacer now holds every caller until the server's wait is over, at a lower rate
                ledger.returnToPending(rowNo, reserved);
                if (attempt >= RATE_LIMITED_ATTEMPTS) {
                    StopReason reason = StopReason.resumable("the provider kept answering 429 (too many requests) "
                            + "after " + attempt + " tries; lower the limit (submits-per-minute) or try later");
                    control.stopSubmitting(reason);
                    throw new RunStoppedException(reason);
                }
                return Duration.ZERO;
            }
            case TRANSIENT -> {
                ledger.returnToPending(rowNo, reserved);
                if (attempt >= retry.maxAttempts()) {
                    StopReason reason = StopReason.resumable("the provider is unreachable or failing after "
                            + attempt + " tries (" + e.getMessage() + "); run the same command again later");
                    control.stopSubmitting(reason);
                    throw new RunStoppedException(reason);
                }
                Duration wait = retry.delay(attempt, e.retryAfter());
                log.warn("row {}: {}; trying again in {} ms", rowNo, e.getMessage(), wait.toMillis());
                return wait;
            }
            default -> throw new IllegalStateException("unhandled " + e.kind());
        }
    }
}
