package dev.zbatch.collect;

import dev.zbatch.run.PollAlarm;
import dev.zbatch.run.RunControl;
import dev.zbatch.ledger.DueRows;
import dev.zbatch.ledger.InFlightRow;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.PendingRow;
import dev.zbatch.ledger.RowState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Collects what is in flight, beside the submitter: each pass hands the SUBMITTED rows now due to a few worker
 * threads ({@link RowCollector} does one row). Once submitting is over it also sends again the rows left
 * PENDING by an attempt that failed at the provider. The run's collecting ends when submitting is over and
 * nothing is in flight or waiting to be resent; then the rows that repeat another's request get their copies.
 */
public class CollectLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CollectLoop.class);

    private final Ledger ledger;
    private final RowCollector rows;
    private final DuplicateCopies duplicates;
    private final RunControl control;
    private final int threads;
    private final Clock clock;
    private final ExecutorService workers;
    private final Set<Long> inProgress = ConcurrentHashMap.newKeySet();
    /**
     * Rows whose work ended since the last read of due rows: that read may have listed them before the work
     * was recorded, and must not hand them out again.
     */
    private final Set<Long> endedSinceRead = ConcurrentHashMap.newKeySet();
    private final PollAlarm alarm;

    /** How long one pass (one short transaction of the collect step) lasts. */
    private static final Duration PASS = Duration.ofSeconds(1);
    /**
     * The ledger is asked for due rows at most this often: when rows come due one after another, a few come due
     * at each look instead of one (each look is a query), and a row is polled at most this late.
     */
    private static final Duration LOOK_EVERY = Duration.ofMillis(100);
    /**
     * And at least this often, even when no row comes due sooner: to notice a halted run, the end of submitting,
     * and polls the collector's own workers moved.
     */
    private static final Duration LOOK_AT_LEAST_EVERY = Duration.ofSeconds(1);

    public CollectLoop(Ledger ledger, RowCollector rows, DuplicateCopies duplicates, RunControl control,
                     int threads, Clock clock, PollAlarm alarm) {
        this.ledger = ledger;
        this.rows = rows;
        this.duplicates = duplicates;
        this.control = control;
        this.threads = threads;
        this.clock = clock;
        this.alarm = alarm;
        CustomizableThreadFactory named = new CustomizableThreadFactory("zbatch-collect-");
        named.setDaemon(true);
        this.workers = Executors.newFixedThreadPool(threads, named);
    }

    /**
     * One pass, about a second long: hands the rows that come due to the workers as they do. Returns true once
     * there is nothing left to collect in this run (or the run is halted), after the workers have finished what
     * they hold; false when the pass is over and more remains.
     */
    public boolean pass() throws InterruptedException {
        long passEnds = System.nanoTime() + PASS.toNanos();
        while (true) {
            if (control.halted()) return drained();
            endedSinceRead.clear();
            alarm.reset();
            Instant now = clock.instant();
            DueRows due = ledger.duePolls(now, threads * 4 + inProgress.size());
            for (InFlightRow row : due.rows()) {
                dispatch(row.rowNo(), () -> rows.collect(row));
            }
            boolean resending = control.submitFinished() && !control.submittingStopped();
            if (resending) {
                for (PendingRow pending : ledger.pendingAfter(0, threads * 4)) {
                    dispatch(pending.rowNo(), () -> rows.resend(pending.rowNo(), pending.requestJson()));
                }
            }
            if (control.submitFinished() && inProgress.isEmpty()
                    && ledger.countInFlight() == 0
                    && (!resending || ledger.countInState(RowState.PENDING) == 0)) {
                duplicates.settle();
                return drained();
            }
            if (System.nanoTime() >= passEnds) return false;
            alarm.sleep(untilNextLook(now, due.next()));
        }
    }

    private static Duration untilNextLook(Instant now, Instant nextDue) {
        if (nextDue == null) return LOOK_AT_LEAST_EVERY;
        Duration until = Duration.between(now, nextDue);
        if (until.compareTo(LOOK_EVERY) < 0) return LOOK_EVERY;
        return until.compareTo(LOOK_AT_LEAST_EVERY) > 0 ? LOOK_AT_LEAST_EVERY : until;
    }

    private interface RowWork {
        void run() throws InterruptedException;
    }

    private void dispatch(long rowNo, RowWork work) {
        if (!inProgress.add(rowNo)) return;
        if (endedSinceRead.contains(rowNo)) { // checked after the add: its work ends by adding here first
            inProgress.remove(rowNo);
            return;
        }
        workers.execute(() -> {
            try {
                work.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.error("row {}: unexpected error while collecting; it will be tried again", rowNo, e);
            } finally {
                endedSinceRead.add(rowNo);
                inProgress.remove(rowNo);
                alarm.dueAt(clock.instant().plus(LOOK_EVERY)); // its next poll, if any, may be sooner than planned
            }
        });
    }

    private boolean drained() throws InterruptedException {
        workers.shutdown();
        // no interrupts: an interrupted thread inside H2 would close its file; calls have their own timeouts
        while (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
            log.info("waiting for {} collections under way", inProgress.size());
        }
        return true;
    }

    @Override
    public void close() {
        workers.shutdown();
    }
}
