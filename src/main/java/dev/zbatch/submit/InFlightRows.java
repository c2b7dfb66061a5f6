package dev.zbatch.submit;

import dev.zbatch.ledger.ImageRecord;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.RowState;
import dev.zbatch.provider.Submission;
import dev.zbatch.run.Budget;
import dev.zbatch.run.InFlightWindow;
import dev.zbatch.run.PollAlarm;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The one owner of a row's run-time bookkeeping: its state in the ledger, the money it holds in the budget, its
 * place in the in-flight window and the collector's alarm. The submitter and the collector decide what an answer
 * means; each meaning is one call here, which keeps the four in step.
 * <p>
 * Money: a row holds its reservation from {@link #reserve} until the provider's answer says what it cost
 * ({@link #accepted}), that it cost nothing ({@link #notSent}, {@link #refused}, {@link #failedNotCharged}), or
 * that nobody can know ({@link #maybeAccepted}: the reservation stays spent, as the provider may have charged it).
 */
public final class InFlightRows {

    /** What came of asking to send a PENDING row. */
    public enum Reservation {
        /** The row is SUBMITTING and holds its cost in the budget. */
        RESERVED,
        /** The budget cannot cover it; nothing is held and the row is still PENDING. */
        OVER_BUDGET,
        /** The row is no longer PENDING (moved meanwhile); nothing is held. */
        NOT_PENDING
    }

    private final Ledger ledger;
    private final Budget budget;
    private final InFlightWindow window;
    private final PollAlarm alarm;

    public InFlightRows(Ledger ledger, Budget budget, InFlightWindow window, PollAlarm alarm) {
        this.ledger = ledger;
        this.budget = budget;
        this.window = window;
        this.alarm = alarm;
    }

    /**
     * Waits for room in the in-flight window and holds a place; false, holding nothing, once {@code giveUp} says
     * so. A held place is given back with {@link #leaveWindow}.
     */
    public boolean enterWindow(BooleanSupplier giveUp) throws InterruptedException {
        return window.acquire(giveUp);
    }

    /** Gives back the place {@link #enterWindow} held: the submission's answer is recorded, or it was not sent. */
    public void leaveWindow() {
        window.release();
    }

    /** Three quarters of the window or more were taken at its last look. */
    public boolean windowNearlyFull() {
        return window.nearlyFull();
    }

    // --- the submitter's outcomes: the row is SUBMITTING with `reserved` held ---

    /** PENDING → SUBMITTING to {@code account} with {@code cost} held, when the budget allows it. */
    public Reservation reserve(long rowNo, BigDecimal cost, String account) {
        if (!budget.tryReserve(cost)) return Reservation.OVER_BUDGET;
        if (!ledger.markSubmitting(rowNo, cost, account)) {
            budget.release(cost);
            return Reservation.NOT_PENDING;
        }
        return Reservation.RESERVED;
    }

    /** The budget's cap, for the message that it is reached. */
    public BigDecimal budgetCap() {
        return budget.cap();
    }

    /** What the budget holds committed: charged, or reserved for requests on their way. */
    public BigDecimal budgetCommitted() {
        return budget.committed();
    }

    /** PENDING → SKIPPED: not sent, for {@code reason} (the budget). */
    public void skipped(long rowNo, String reason) {
        ledger.markSkipped(rowNo, reason);
    }

    /** Accepted: SUBMITTED, first polled at {@code firstPoll}; the reservation becomes what the provider charged. */
    public void accepted(long rowNo, Submission submission, Instant firstPoll, BigDecimal reserved) {
        ledger.markSubmitted(rowNo, submission, firstPoll, reserved);
        alarm.dueAt(firstPoll);
        budget.settle(reserved, submission.costUsd() != null ? submission.costUsd() : reserved);
    }

    /** Certainly not accepted (not charged): back to PENDING, to be sent again. */
    public void notSent(long rowNo, BigDecimal reserved) {
        budget.release(reserved);
        ledger.returnToPending(rowNo, reserved);
    }

    /** Refused as invalid (not charged): REJECTED. */
    public void refused(long rowNo, String reason, BigDecimal reserved) {
        budget.release(reserved);
        ledger.markRejectedByProvider(rowNo, reason, reserved);
    }

    /** Perhaps accepted, perhaps charged: UNKNOWN, never resent blindly; the reservation stays spent. */
    public void maybeAccepted(long rowNo, String reason) {
        ledger.markUnknown(rowNo, reason);
    }

    // --- the collector's outcomes: the row leaves SUBMITTED, so its place in the window frees ---

    /** SUBMITTED → COMPLETED with its images; false when the row had moved meanwhile. */
    public boolean completed(long rowNo, List<ImageRecord> images, Long seed) {
        boolean done = ledger.markCompleted(rowNo, images, seed);
        window.collected();
        return done;
    }

    /** SUBMITTED → FAILED: the provider failed it (charged), or its image did not verify. */
    public void failed(long rowNo, String reason) {
        ledger.markFailed(rowNo, reason);
        window.collected();
    }

    /**
     * The provider failed it on its own side without charging it: PENDING to be sent again (the attempt's cost
     * comes off the row and the budget), or FAILED after {@code maxAttempts}. Returns the state the row is left in.
     */
    public RowState failedNotCharged(long rowNo, String reason, int maxAttempts, BigDecimal attemptCost) {
        window.collected();
        RowState next = ledger.markForRetry(rowNo, reason, maxAttempts, attemptCost);
        budget.release(attemptCost);
        return next;
    }

    /**
     * Its result expired before it was collected (charged): PENDING to be sent again, or EXPIRED after
     * {@code maxAttempts}. Returns the state the row is left in.
     */
    public RowState expired(long rowNo, String detail, int maxAttempts) {
        window.collected();
        return ledger.markExpiredForResend(rowNo, detail, maxAttempts);
    }

    /** Still SUBMITTED: polled again at {@code at}. */
    public void pollAgainAt(long rowNo, Instant at) {
        ledger.schedulePoll(rowNo, at);
    }
}
