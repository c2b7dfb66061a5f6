package dev.zbatch.submit;

import dev.zbatch.cost.Price;
import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.Submission;
import dev.zbatch.provider.account.Account;
import dev.zbatch.provider.account.AccountTurn;
import dev.zbatch.provider.account.Accounts;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.run.PollSchedule;
import dev.zbatch.run.Retry;
import dev.zbatch.run.RunControl;
import dev.zbatch.run.RunStoppedException;
import dev.zbatch.run.StopReason;
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

    private final InFlightRows rows;
    private final Accounts accounts;
    private final String model;
    private final RunControl control;
    private final Retry retry;
    private final PollSchedule pollSchedule;
    private final Price price;
    private final Clock clock;

    /** @param price what an image costs at an account that names no price of its own */
    public Submitter(InFlightRows rows, Accounts accounts, String model, RunControl control, Retry retry,
                     PollSchedule pollSchedule, Price price, Clock clock) {
        this.rows = rows;
        this.accounts = accounts;
        this.model = model;
        this.control = control;
        this.retry = retry;
        this.pollSchedule = pollSchedule;
        this.price = price;
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
            rows.skipped(rowNo, control.stopReason().message());
            return null;
        }
        if (inWindow && !rows.enterWindow(control::submittingStopped)) {
            throw new RunStoppedException(control.stopReason());
        }
        try {
            // the rate limit, and until an account accepted one submission, its probe: waited for while PENDING
            AccountTurn turn = accounts.awaitTurn(control::submittingStopped);
            if (turn == null) throw new RunStoppedException(control.stopReason());
            try (turn) {
                if (control.submittingStopped()) throw new RunStoppedException(control.stopReason());
                Account account = turn.account();
                BigDecimal cost = account.pricePerImage(price.usdPerImage())
                        .multiply(BigDecimal.valueOf(request.numImages()));
                return switch (rows.reserve(rowNo, cost, account.name())) {
                    case RESERVED -> send(rowNo, request, attempt, cost, turn);
                    case NOT_PENDING -> null; // someone else moved it
                    case OVER_BUDGET -> {
                        control.budgetExhausted(StopReason.resumable(String.format(Locale.ROOT,
                                "the budget cap of $%s is reached ($%s committed); the rows not sent are SKIPPED: "
                                        + "raise --max-cost (zbatch.budget.max-cost) and run the same command again",
                                rows.budgetCap().toPlainString(), rows.budgetCommitted().toPlainString())));
                        rows.skipped(rowNo, control.stopReason().message());
                        yield null;
                    }
                };
            }
        } finally {
            if (inWindow) rows.leaveWindow();
        }
    }

    /** The row is SUBMITTING with {@code cost} reserved: sends it and records what came of it. */
    private Duration send(long rowNo, ImageRequest request, int attempt, BigDecimal cost, AccountTurn turn) {
        Account account = turn.account();
        try {
            Submission submission = account.provider().submit(turn.turn(), model, request);
            account.accepted();
            rows.accepted(rowNo, submission, clock.instant().plus(pollSchedule.firstDelay()), cost);
            return null;
        } catch (ProviderException e) {
            return handle(rowNo, account, e, attempt, cost);
        } catch (RunStoppedException e) {
            throw e;
        } catch (RuntimeException e) {
            rows.maybeAccepted(rowNo, "unexpected error while sending: " + e);
            throw e;
        }
    }

    private Duration handle(long rowNo, Account account, ProviderException e, int attempt, BigDecimal reserved) {
        return switch (FailedSubmission.of(e)) {
            case REFUSED -> {
                rows.refused(rowNo, "the provider refused the request: " + e.getMessage(), reserved);
                yield null;
            }
            case MAYBE_ACCEPTED -> {
                rows.maybeAccepted(rowNo, "the request may have been accepted: " + e.getMessage());
                yield null;
            }
            case NOT_SENT -> {
                rows.notSent(rowNo, reserved);
                yield afterNotSent(rowNo, account, e, attempt);
            }
        };
    }

    /**
     * The row is PENDING again: takes the account out of rotation or stops the run, or returns how long to wait
     * before the next attempt.
     */
    private Duration afterNotSent(long rowNo, Account account, ProviderException e, int attempt) {
        switch (e.kind()) {
            case AUTH -> {
                String variable = account.keyVariable();
                boolean named = variable == null || e.getMessage().contains(variable);
                String why = e.getMessage() + (named ? "" : " (the key comes from " + variable + ")");
                if (accounts.takeOut(account, why)) return Duration.ZERO;
                throw halt(StopReason.resumable(accounts.whyNoneIsLeft(why) + "; fix it and run the same command again"));
            }
            case PROTOCOL -> throw halt(StopReason.resumable("the provider refused the submission: "
                    + e.getMessage()));
            case CREDITS -> {
                if (accounts.takeOut(account, e.getMessage())) return Duration.ZERO;
                throw stopSubmitting(StopReason.resumable(accounts.whyNoneIsLeft(e.getMessage())));
            }
            case RATE_LIMITED -> {
                // the account's pacer now holds its callers until the server's wait is over, at a lower rate
                if (attempt >= RATE_LIMITED_ATTEMPTS) {
                    throw stopSubmitting(StopReason.resumable("the provider kept answering 429 (too many "
                            + "requests) after " + attempt + " tries; lower the limit (submits-per-minute) or try "
                            + "later"));
                }
                return Duration.ZERO;
            }
            case TRANSIENT -> {
                if (attempt >= retry.maxAttempts()) {
                    String why = "unreachable or failing after " + attempt + " tries (" + e.getMessage() + ")";
                    if (accounts.takeOut(account, why)) return Duration.ZERO;
                    throw stopSubmitting(StopReason.resumable(accounts.whyNoneIsLeft("the provider is " + why)
                            + "; run the same command again later"));
                }
                Duration wait = retry.delay(attempt, e.retryAfter());
                log.warn("row {}: {}; trying again in {} ms", rowNo, e.getMessage(), wait.toMillis());
                return wait;
            }
            default -> throw new IllegalStateException(e.kind() + " is not a kind that leaves a row unsent");
        }
    }

    private RunStoppedException halt(StopReason reason) {
        control.halt(reason);
        return new RunStoppedException(reason);
    }

    private RunStoppedException stopSubmitting(StopReason reason) {
        control.stopSubmitting(reason);
        return new RunStoppedException(reason);
    }
}
