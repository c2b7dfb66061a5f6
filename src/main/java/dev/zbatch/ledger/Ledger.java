package dev.zbatch.ledger;

import dev.zbatch.config.ConfigException;
import dev.zbatch.provider.Submission;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The ledger: one row per input row. Every state change of a row happens in a method of this class, each in a
 * transaction of its own (committed before the method returns, even when called inside a chunk's transaction),
 * and each conditional on the state it leaves, so that a late or repeated call cannot undo a newer state.
 * <p>
 * The ledger reaches the database through a view of the data source that no Spring transaction is bound to, so
 * a chunk's transaction never takes a ledger change in: a single statement commits on its own (auto-commit, the
 * cheapest commit there is), and a change of several statements is one transaction.
 */
public class Ledger {

    /** A row in the input as last reconciled: the live version of its key, and the key not removed. */
    static final String CURRENT = "superseded_by IS NULL AND removed_pass IS NULL";
    private static final String CURRENT_ROW = "r.superseded_by IS NULL AND r.removed_pass IS NULL";

    private static final String ROW_COLUMNS = "r.row_no, r.row_key, r.ordinal, r.replaces, r.line, r.row_id, "
            + "r.file_stem, r.prompt, r.request_json, "
            // a repeated request names the row it repeats by its position in the input
            + "(SELECT o.ordinal FROM zb_row o WHERE o.run_id = r.run_id AND o.row_no = r.duplicate_of) AS duplicate_of, "
            + "r.state, r.provider, r.account, r.model, r.request_id, r.poll_url, r.result_url, r.attempts, r.polls, r.seed, "
            + "r.cost_usd, r.error_field, r.error, r.submitted_at, r.finished_at, r.cached_from";

    /** A moment no row was sent after: counts "since" nothing. */
    private static final OffsetDateTime NEVER = OffsetDateTime.of(9999, 12, 31, 0, 0, 0, 0, ZoneOffset.UTC);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate inOneTransaction;
    private final Clock clock;
    private final RowIntake intake;
    /** The run of the output folder: every statement is about it. */
    private final long runId;

    private Ledger(DataSource dataSource, Clock clock, long runId) {
        DataSource ledgerOnly = new DelegatingDataSource(dataSource);
        this.inOneTransaction = new TransactionTemplate(new JdbcTransactionManager(ledgerOnly));
        this.jdbc = new ChangeCountingJdbcTemplate(ledgerOnly, inOneTransaction);
        this.clock = clock;
        this.runId = runId;
        this.intake = new RowIntake(jdbc, inOneTransaction, clock, runId);
    }

    /**
     * The ledger of the run this database holds, created on first use. An output folder holds the run of one job,
     * whatever file it follows (tonight's export has tonight's name): each run records the input it read last.
     * Another job aimed at the same folder is a configuration error, not a silent mix.
     */
    public static Ledger openRun(DataSource dataSource, Clock clock, String jobName, String inputPath,
                                 String provider, String model) {
        long runId = new Ledger(dataSource, clock, 0).openRunRecord(jobName, inputPath, provider, model);
        return new Ledger(dataSource, clock, runId);
    }

    /** The ledger of the run this database holds, if it holds one (for {@code status}, {@code report}, …). */
    public static Optional<Ledger> existing(DataSource dataSource, Clock clock) {
        return new Ledger(dataSource, clock, 0).firstRun().map(run -> new Ledger(dataSource, clock, run.runId()));
    }

    // ---- the run

    private long openRunRecord(String jobName, String inputPath, String provider, String model) {
        return inOneTransaction.execute(status -> {
            Optional<RunInfo> existing = firstRun();
            if (existing.isPresent()) {
                RunInfo run = existing.get();
                if (!run.jobName().equals(jobName)) {
                    throw new ConfigException("the output folder already holds the run of job '" + run.jobName()
                            + "' (last on " + run.inputPath() + "); choose another --out, or delete the folder to "
                            + "start over");
                }
                if (!run.provider().equals(provider) || !run.model().equals(model)) {
                    throw new ConfigException("this run was started with " + run.provider() + " " + run.model()
                            + "; it cannot continue with " + provider + " " + model
                            + " (choose another --out, or delete the folder to start over)");
                }
                jdbc.update("UPDATE zb_run SET input_path = ? WHERE run_id = ?", inputPath, run.runId());
                return run.runId();
            }
            jdbc.update("INSERT INTO zb_run (run_key, job_name, input_path, provider, model, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", jobName, jobName, inputPath, provider, model, now());
            return firstRun().orElseThrow().runId();
        });
    }

    /** The run, as recorded now (its counts and times change while it goes on). */
    public RunInfo run() {
        return firstRun().orElseThrow();
    }

    private Optional<RunInfo> firstRun() {
        return jdbc.query("SELECT * FROM zb_run ORDER BY run_id FETCH FIRST 1 ROW ONLY", (rs, i) -> new RunInfo(
                rs.getLong("run_id"), rs.getString("run_key"), rs.getString("job_name"),
                rs.getString("input_path"), rs.getString("provider"), rs.getString("model"),
                rs.getObject("created_at", OffsetDateTime.class), (Long) rs.getObject("rows_read", Long.class),
                (Long) rs.getObject("rows_total", Long.class), rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("heartbeat_at", OffsetDateTime.class), rs.getObject("ended_at", OffsetDateTime.class),
                rs.getString("outcome"), (Long) rs.getObject("done_at_start", Long.class),
                (Long) rs.getObject("images_at_start", Long.class), reconciliation(rs)))
                .stream().findFirst();
    }

    /**
     * Records that a process has begun working on the run, and where the run stood then (what {@code status}
     * reads); returns the time recorded.
     */
    public Instant markRunStarted(RunProgress atStart) {
        OffsetDateTime now = now();
        jdbc.update("UPDATE zb_run SET started_at = ?, heartbeat_at = ?, ended_at = NULL, outcome = NULL, "
                + "done_at_start = ?, images_at_start = ? WHERE run_id = ?", now, now, atStart.done(),
                atStart.images(), runId);
        return now.toInstant();
    }

    /**
     * Puts back how an earlier process's work on the run was recorded: for a pass that found nothing to do, so
     * that {@code status} goes on showing when the run's work was done and how long it took.
     */
    public void restoreRunRecord(RunInfo earlier) {
        jdbc.update("UPDATE zb_run SET started_at = ?, heartbeat_at = ?, ended_at = ?, outcome = ?, "
                + "done_at_start = ?, images_at_start = ? WHERE run_id = ?", earlier.startedAt(),
                earlier.heartbeatAt(), earlier.endedAt(), earlier.outcome(), earlier.doneAtStart(),
                earlier.imagesAtStart(), runId);
    }

    /** Tells {@code status} that the process working on the run is still alive. */
    public void heartbeat() {
        jdbc.update("UPDATE zb_run SET heartbeat_at = ? WHERE run_id = ?", now(), runId);
    }

    public void markRunEnded(String outcome) {
        OffsetDateTime now = now();
        jdbc.update("UPDATE zb_run SET heartbeat_at = ?, ended_at = ?, outcome = ? "
                + "WHERE run_id = ?", now, now, outcome, runId);
    }

    /** Records the input's row count, counted while the run goes on, for progress and ETA. */
    public void recordRowsTotal(long rows) {
        jdbc.update("UPDATE zb_run SET rows_total = ? WHERE run_id = ?", rows, runId);
    }

    /** Records that the whole input has been read: how many data rows it has. */
    public void recordRowsRead(long rows) {
        jdbc.update("UPDATE zb_run SET rows_read = ? WHERE run_id = ?", rows, runId);
    }

    // ---- entering rows

    /** How reconciliations enter the input's rows. */
    public RowIntake intake() {
        return intake;
    }

    /** Records what the reconciliation of pass {@code pass} found, once it has read the whole input. */
    public void recordReconciliation(int pass, long rows, long added, long changed, long unchanged,
                                     long removed, long held) {
        jdbc.update("UPDATE zb_run SET reconciled_pass = ?, reconciled_at = ?, rows_read = ?, delta_new = ?, "
                + "delta_changed = ?, delta_unchanged = ?, delta_removed = ?, delta_held = ? WHERE run_id = ?",
                pass, now(), rows, added, changed, unchanged, removed, held, runId);
    }

    private static RunInfo.Reconciliation reconciliation(ResultSet rs) throws SQLException {
        if (rs.getObject("reconciled_at") == null) return null;
        return new RunInfo.Reconciliation(rs.getObject("reconciled_at", OffsetDateTime.class),
                rs.getLong("delta_new"), rs.getLong("delta_changed"), rs.getLong("delta_unchanged"),
                rs.getLong("delta_removed"), rs.getLong("delta_held"));
    }

    // ---- transitions: every state change goes through move(), which only makes those RowState allows

    /**
     * PENDING → SUBMITTING, just before the request is sent, adding what it will cost to the row's spend (kept if
     * the process dies now: the provider may have charged it). A row's cost_usd is what all its attempts cost.
     * The row is sent to {@code account}, and collected from it. False when the row is no longer PENDING.
     */
    public boolean markSubmitting(long rowNo, BigDecimal cost, String account) {
        return moveRow(rowNo, RowState.PENDING, RowState.SUBMITTING,
                "attempts = attempts + 1, cost_usd = COALESCE(cost_usd, 0) + ?, account = ?", cost, account);
    }

    /** SUBMITTING → SUBMITTED, the moment the provider's answer arrives: the request id is safe from here on. */
    public boolean markSubmitted(long rowNo, Submission submission, Instant firstPollAt, BigDecimal reserved) {
        BigDecimal actual = submission.costUsd() != null ? submission.costUsd() : reserved;
        return moveRow(rowNo, RowState.SUBMITTING, RowState.SUBMITTED, "request_id = ?, poll_url = ?, "
                        + "result_url = ?, cost_usd = cost_usd - ? + ?, next_poll_at = ?, polls = 0, submitted_at = ?",
                submission.requestId(), str(submission.pollUrl()), str(submission.resultUrl()), reserved, actual,
                at(firstPollAt), now());
    }

    /** SUBMITTING → PENDING: the request certainly did not reach the provider (it can be sent again). */
    public boolean returnToPending(long rowNo, BigDecimal reserved) {
        return moveRow(rowNo, RowState.SUBMITTING, RowState.PENDING,
                "attempts = attempts - 1, cost_usd = cost_usd - ?", reserved);
    }

    /** SUBMITTING → UNKNOWN: the request may have been accepted (and charged); it is not resent blindly. */
    public boolean markUnknown(long rowNo, String reason) {
        return finish(rowNo, RowState.SUBMITTING, RowState.UNKNOWN, reason, "");
    }

    /** SUBMITTING → REJECTED: the provider refused the request as invalid (HTTP 400), so it did not charge it. */
    public boolean markRejectedByProvider(long rowNo, String reason, BigDecimal reserved) {
        return finish(rowNo, RowState.SUBMITTING, RowState.REJECTED, reason, ", cost_usd = cost_usd - ?", reserved);
    }

    /** PENDING → SKIPPED: the budget does not allow sending it; a later pass may. */
    public boolean markSkipped(long rowNo, String reason) {
        return finish(rowNo, RowState.PENDING, RowState.SKIPPED, reason, "");
    }

    /** SKIPPED → PENDING for every skipped row of the input, at the start of a new pass; returns how many. */
    public int unskip() {
        return move(RowState.SKIPPED, RowState.PENDING, "error = NULL, finished_at = NULL", List.of(), CURRENT);
    }

    /**
     * Rows of the input in these states go back to PENDING, to be sent again on the next pass ({@code retry});
     * their attempts and what they cost so far stay. Returns how many.
     */
    public int requeue(java.util.Collection<RowState> states) {
        int n = 0;
        for (RowState state : states) {
            n += move(state, RowState.PENDING, "request_id = NULL, poll_url = NULL, result_url = NULL, "
                            + "next_poll_at = NULL, error = NULL, error_field = NULL, finished_at = NULL", List.of(),
                    "request_json IS NOT NULL AND " + CURRENT);
        }
        return n;
    }

    /** Rows left SUBMITTING by a process that died: each may have been accepted, so each becomes UNKNOWN. */
    public int markInterruptedSubmissionsUnknown() {
        return move(RowState.SUBMITTING, RowState.UNKNOWN, "error = ?, finished_at = ?",
                List.of("the process stopped while this request was being sent; the provider may have accepted it",
                        now()), "");
    }

    /** SUBMITTED → COMPLETED with every image verified and on disk. */
    public boolean markCompleted(long rowNo, List<ImageRecord> images, Long seed) {
        return Boolean.TRUE.equals(inOneTransaction.execute(status -> {
            boolean changed = moveRow(rowNo, RowState.SUBMITTED, RowState.COMPLETED, "seed = COALESCE(?, seed), "
                    + "polls = polls + 1, next_poll_at = NULL, error = NULL, finished_at = ?", seed, now());
            if (changed) insertImages(rowNo, images);
            return changed;
        }));
    }

    /**
     * PENDING → COMPLETED with images from the content cache, made by {@code cachedFrom} for the same request:
     * nothing was sent, no cost.
     */
    public boolean markServedFromCache(long rowNo, List<ImageRecord> images, Long seed, String cachedFrom) {
        return Boolean.TRUE.equals(inOneTransaction.execute(status -> {
            boolean changed = moveRow(rowNo, RowState.PENDING, RowState.COMPLETED, "seed = COALESCE(?, seed), "
                    + "cost_usd = 0, cached_from = ?, error = NULL, finished_at = ?", seed, cachedFrom, now());
            if (changed) insertImages(rowNo, images);
            return changed;
        }));
    }

    /** SUBMITTED → FAILED: the provider says this request failed (e.g. a content block), or its image is bad. */
    public boolean markFailed(long rowNo, String reason) {
        return finish(rowNo, RowState.SUBMITTED, RowState.FAILED, reason, "");
    }

    /**
     * SUBMITTED → PENDING, to be sent again: the provider failed the request on its side without charging it (so
     * the attempt's cost comes off). After {@code maxAttempts} attempts the row is FAILED instead. Returns the
     * state the row is left in.
     */
    public RowState markForRetry(long rowNo, String reason, int maxAttempts, BigDecimal attemptCost) {
        return sendAgainOr(rowNo, "attempt failed at the provider (not charged): " + reason, maxAttempts,
                RowState.FAILED, "failed at the provider after " + maxAttempts + " attempts: " + reason, attemptCost);
    }

    /**
     * SUBMITTED → PENDING, to be sent again: its result expired before it was collected (it was charged; the
     * cost stays). After {@code maxAttempts} attempts the row is EXPIRED instead. Returns the state it is left in.
     */
    public RowState markExpiredForResend(long rowNo, String reason, int maxAttempts) {
        return sendAgainOr(rowNo, "result expired before it was collected: " + reason, maxAttempts,
                RowState.EXPIRED, reason + " (after " + maxAttempts + " attempts)", BigDecimal.ZERO);
    }

    /** A replaced request (its row's request changed since) is not bought again: it ends {@code otherwise}. */
    private RowState sendAgainOr(long rowNo, String note, int maxAttempts, RowState otherwise, String otherwiseReason,
                                 BigDecimal refund) {
        int again = move(RowState.SUBMITTED, RowState.PENDING, "error = ?, request_id = NULL, poll_url = NULL, "
                        + "result_url = NULL, next_poll_at = NULL, cost_usd = cost_usd - ?", List.of(truncate(note), refund),
                "row_no = ? AND attempts < ? AND superseded_by IS NULL", rowNo, maxAttempts);
        if (again == 1) return RowState.PENDING;
        finish(rowNo, RowState.SUBMITTED, otherwise, otherwiseReason, ", cost_usd = cost_usd - ?", refund);
        return otherwise;
    }

    /** A row ends in {@code to} for {@code reason}; {@code alsoSet} (", column = ?") takes {@code alsoArgs}. */
    private boolean finish(long rowNo, RowState from, RowState to, String reason, String alsoSet,
                           Object... alsoArgs) {
        List<Object> args = new ArrayList<>(java.util.Arrays.asList(truncate(reason), now()));
        args.addAll(List.of(alsoArgs));
        return move(from, to, "error_field = NULL, error = ?, next_poll_at = NULL, finished_at = ?" + alsoSet, args,
                "row_no = ?", rowNo) == 1;
    }

    private boolean moveRow(long rowNo, RowState from, RowState to, String set, Object... setArgs) {
        return move(from, to, set, java.util.Arrays.asList(setArgs), "row_no = ?", rowNo) == 1;
    }

    /**
     * The one statement that changes rows' states: every row of the run in {@code from} (and matching
     * {@code where}, if not empty) moves to {@code to}, which {@link RowState#canMoveTo} must allow; {@code set}
     * names more columns to set, with {@code setArgs}. Conditional on the state it leaves, so a late or repeated
     * call cannot undo a newer state. Returns how many rows moved.
     */
    private int move(RowState from, RowState to, String set, List<Object> setArgs, String where,
                     Object... whereArgs) {
        if (!from.canMoveTo(to)) throw new IllegalStateException("no row goes from " + from + " to " + to);
        List<Object> args = new ArrayList<>();
        args.add(to.name());
        args.add(now());
        args.addAll(setArgs);
        args.add(runId);
        args.add(from.name());
        args.addAll(List.of(whereArgs));
        return jdbc.update("UPDATE zb_row SET state = ?, updated_at = ?" + (set.isEmpty() ? "" : ", " + set)
                + " WHERE run_id = ? AND state = ?" + (where.isEmpty() ? "" : " AND " + where), args.toArray());
    }

    /** A SUBMITTED row is still pending at the provider: ask again at {@code nextPollAt}. */
    public void schedulePoll(long rowNo, Instant nextPollAt) {
        jdbc.update("UPDATE zb_row SET polls = polls + 1, next_poll_at = ?, updated_at = ? "
                + "WHERE run_id = ? AND row_no = ? AND state = 'SUBMITTED'", at(nextPollAt), now(), runId, rowNo);
    }

    private void insertImages(long rowNo, List<ImageRecord> images) {
        for (ImageRecord image : images) {
            jdbc.update("INSERT INTO zb_image (run_id, row_no, image_no, file, bytes, sha256, width, height, "
                            + "content_type, mismatch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", runId, rowNo,
                    image.imageNo(), image.file(), image.bytes(), image.sha256(), image.width(), image.height(),
                    image.contentType(), image.mismatch());
        }
        long mismatched = images.stream().filter(image -> image.mismatch() != null).count();
        jdbc.update("UPDATE zb_row SET images = images + ?, mismatched = mismatched + ? WHERE run_id = ? "
                + "AND row_no = ?", images.size(), mismatched, runId, rowNo);
    }

    /**
     * What the run has spent, or may have: every attempt sent, answered or not, at its recorded cost, whatever
     * state its row is in now (a requeued or skipped row keeps what its earlier attempts cost; attempts that were
     * not charged were taken off already).
     */
    public BigDecimal committedSpend() {
        BigDecimal sum = jdbc.queryForObject("SELECT COALESCE(SUM(cost_usd), 0) FROM zb_row WHERE run_id = ?",
                BigDecimal.class, runId);
        return sum == null ? BigDecimal.ZERO : sum;
    }

    /**
     * A number for a rendering of the manifests, taken before it reads the rows: it follows the last rendering's
     * directly when no row or image has changed since ({@link #unchangedSince}).
     */
    public long renderingMark() {
        Long mark = jdbc.queryForObject(ChangeCountingJdbcTemplate.NEXT_CHANGE, Long.class);
        return mark == null ? 0 : mark;
    }

    /** Whether the last rendering recorded ({@link #recordRendering}) saw the rows as they are at {@code mark}. */
    public boolean unchangedSince(long mark) {
        Long reported = jdbc.queryForObject("SELECT reported_changes FROM zb_run WHERE run_id = ?", Long.class, runId);
        return reported != null && reported == mark - 1;
    }

    /** Records that the manifests in the output folder show the rows as they were at {@code mark}. */
    public void recordRendering(long mark) {
        jdbc.update("UPDATE zb_run SET reported_changes = ? WHERE run_id = ?", mark, runId);
    }

    /** The current pass over the input (1 for a fresh run). */
    public int pass() {
        Integer pass = jdbc.queryForObject("SELECT pass FROM zb_run WHERE run_id = ?", Integer.class, runId);
        return pass == null ? 1 : pass;
    }

    /** Starts another pass over the input; returns its number. */
    public int nextPass() {
        jdbc.update("UPDATE zb_run SET pass = pass + 1 WHERE run_id = ?", runId);
        return pass();
    }

    /** A DUPLICATE row whose original has ended COMPLETED, FAILED or REJECTED: it can be settled now. */
    public record SettledOriginal(long rowNo, String fileStem, long originalRowNo, long originalLine,
                                  RowState originalState, String originalError) {
    }

    public List<SettledOriginal> duplicatesToSettle(int limit) {
        return jdbc.query("SELECT d.row_no, d.file_stem, o.row_no, o.line, o.state, o.error FROM zb_row d "
                        + "JOIN zb_row o ON o.run_id = d.run_id AND o.row_no = d.duplicate_of "
                        + "WHERE d.run_id = ? AND d.state = 'DUPLICATE' AND d.superseded_by IS NULL "
                        + "AND o.state IN ('COMPLETED', 'FAILED', 'REJECTED', 'EXPIRED', 'UNKNOWN', 'SKIPPED') "
                        + "ORDER BY d.row_no FETCH FIRST ? ROWS ONLY",
                (rs, i) -> new SettledOriginal(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        RowState.valueOf(rs.getString(5)), rs.getString(6)), runId, limit);
    }

    /**
     * DUPLICATE → COMPLETED with copies of its original's images, and the original's seed (the same request, so
     * the same seed); nothing was sent: no cost.
     */
    public boolean markCopied(long rowNo, List<ImageRecord> images) {
        return Boolean.TRUE.equals(inOneTransaction.execute(status -> {
            boolean changed = moveRow(rowNo, RowState.DUPLICATE, RowState.COMPLETED, "cost_usd = 0, "
                    + "finished_at = ?, seed = (SELECT o.seed FROM zb_row o WHERE o.run_id = zb_row.run_id "
                    + "AND o.row_no = zb_row.duplicate_of)", now());
            if (changed) insertImages(rowNo, images);
            return changed;
        }));
    }

    /** DUPLICATE → SKIPPED: the row it repeats was skipped for the budget (a later pass sends this one). */
    public boolean markDuplicateSkipped(long rowNo, String reason) {
        return finish(rowNo, RowState.DUPLICATE, RowState.SKIPPED, reason, "");
    }

    /** DUPLICATE → FAILED: the row it repeats has no images to give. */
    public boolean markDuplicateFailed(long rowNo, String reason) {
        return finish(rowNo, RowState.DUPLICATE, RowState.FAILED, reason, "");
    }

    // ---- queries

    /**
     * The SUBMITTED rows that are due for a poll at {@code now}, soonest first, at most {@code limit}; and when the
     * next row not listed comes due.
     */
    public DueRows duePolls(Instant now, int limit) {
        List<InFlightRow> due = new ArrayList<>();
        Instant next = jdbc.query("SELECT row_no, row_id, line, file_stem, request_json, provider, model, request_id, "
                        + "poll_url, result_url, polls, next_poll_at, submitted_at, row_key, superseded_by, account "
                        + "FROM zb_row USE INDEX (zb_row_state) "
                        // without the hint H2 walks every row of the run through the run_id index
                        + "WHERE run_id = ? AND state = 'SUBMITTED' ORDER BY next_poll_at FETCH FIRST ? ROWS ONLY",
                rs -> {
                    // soonest first, and H2 reads lazily: stop at the first row not yet due
                    while (rs.next()) {
                        Instant at = rs.getObject(12, OffsetDateTime.class).toInstant();
                        if (at.isAfter(now) || due.size() == limit) return at;
                        Instant submitted = rs.getObject(13, OffsetDateTime.class).toInstant();
                        due.add(new InFlightRow(rs.getLong(1), rs.getString(14),
                                LedgerRow.displayId(rs.getString(2), rs.getLong(3)), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                                rs.getInt(11), Duration.between(submitted, at), rs.getObject(15) != null,
                                rs.getString(16)));
                    }
                    return null;
                }, runId, limit + 1);
        return new DueRows(due, next);
    }

    /**
     * Each account's rows, in the order of their names (rows that were never sent belong to none), with those
     * accepted since {@code since} (none counted when it is null).
     */
    public List<AccountTally> accountTallies(OffsetDateTime since) {
        return jdbc.query("SELECT account, "
                        + "SUM(CASE WHEN state NOT IN ('PENDING', 'SKIPPED') THEN 1 ELSE 0 END), "
                        + "SUM(CASE WHEN state = 'COMPLETED' THEN 1 ELSE 0 END), "
                        + "SUM(CASE WHEN state = 'FAILED' THEN 1 ELSE 0 END), "
                        + "SUM(CASE WHEN state IN ('SUBMITTING', 'SUBMITTED') THEN 1 ELSE 0 END), "
                        + "COALESCE(SUM(cost_usd), 0), "
                        + "SUM(CASE WHEN submitted_at >= ? THEN 1 ELSE 0 END) "
                        + "FROM zb_row WHERE run_id = ? AND account IS NOT NULL GROUP BY account ORDER BY account",
                (rs, i) -> new AccountTally(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getBigDecimal(6), rs.getLong(7)),
                since != null ? since : NEVER, runId);
    }

    /** The accounts that requests now at a provider were sent to (each is polled there). */
    public Set<String> accountsInFlight() {
        return new HashSet<>(jdbc.queryForList("SELECT DISTINCT account FROM zb_row WHERE run_id = ? "
                + "AND state = 'SUBMITTED' AND account IS NOT NULL", String.class, runId));
    }

    /** The account was taken out of rotation for {@code reason} (secret-free: the provider's words). */
    public void accountTakenOut(String account, String reason) {
        inOneTransaction.executeWithoutResult(status -> {
            jdbc.update("DELETE FROM zb_account_out WHERE run_id = ? AND name = ?", runId, account);
            jdbc.update("INSERT INTO zb_account_out (run_id, name, taken_out_at, reason) VALUES (?, ?, ?, ?)",
                    runId, account, now(), reason.length() > 4000 ? reason.substring(0, 4000) : reason);
        });
    }

    /** Accounts taken out of rotation since {@code since} (the current process's start), with why, by name. */
    public Map<String, String> accountsTakenOutSince(OffsetDateTime since) {
        Map<String, String> out = new LinkedHashMap<>();
        jdbc.query("SELECT name, reason FROM zb_account_out WHERE run_id = ? AND taken_out_at >= ? ORDER BY name",
                (RowCallbackHandler) rs -> out.put(rs.getString(1), rs.getString(2)), runId, since);
        return out;
    }

    /** A webhook delivered news of this request: poll it now rather than at its scheduled time. */
    public void pollNow(String requestId) {
        jdbc.update("UPDATE zb_row SET next_poll_at = ? WHERE run_id = ? AND request_id = ? "
                + "AND state = 'SUBMITTED'", now(), runId, requestId);
    }

    /** Rows of the input in {@code state}. */
    public long countInState(RowState state) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM zb_row WHERE run_id = ? AND state = ? AND " + CURRENT,
                Long.class, runId, state.name());
        return n == null ? 0 : n;
    }

    /** Requests at the provider now, for rows of the input or not (a replaced or removed row's is collected too). */
    public long countInFlight() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM zb_row WHERE run_id = ? AND state = 'SUBMITTED'",
                Long.class, runId);
        return n == null ? 0 : n;
    }

    /**
     * PENDING rows of the input after {@code afterOrdinal}, in input order, at most {@code limit}: what the submit
     * step sends.
     */
    public List<PendingRow> pendingAfter(long afterOrdinal, int limit) {
        return jdbc.query("SELECT row_no, ordinal, request_json FROM zb_row USE INDEX (zb_row_pending) "
                        + "WHERE run_id = ? AND state = 'PENDING' AND ordinal > ? AND " + CURRENT
                        + " ORDER BY ordinal FETCH FIRST ? ROWS ONLY",
                (rs, i) -> new PendingRow(rs.getLong(1), rs.getLong(2), rs.getString(3)), runId, afterOrdinal, limit);
    }

    /** Rows by state, images and spend in one read (one pass over the run's rows). */
    public RunProgress progress() {
        Map<RowState, Long> counts = new EnumMap<>(RowState.class);
        BigDecimal[] spent = {BigDecimal.ZERO};
        long[] images = {0, 0};
        jdbc.query("SELECT state, COUNT(*), SUM(cost_usd), SUM(images), SUM(mismatched) FROM zb_row "
                + "WHERE run_id = ? AND " + CURRENT + " GROUP BY state", rs -> {
            counts.put(RowState.valueOf(rs.getString(1)), rs.getLong(2));
            if (rs.getBigDecimal(3) != null) spent[0] = spent[0].add(rs.getBigDecimal(3));
            images[0] += rs.getLong(4);
            images[1] += rs.getLong(5);
        }, runId);
        return new RunProgress(counts, images[0], images[1], spent[0]);
    }

    public Optional<LedgerRow> row(long rowNo) {
        List<LedgerRow> found = new ArrayList<>();
        readRows("WHERE r.run_id = ? AND r.row_no = ?", "r.row_no", found::add, runId, rowNo);
        return found.stream().findFirst();
    }

    /** Every row of the input in input order, each with its images, streamed (memory does not grow with the run). */
    public void forEachRow(Consumer<LedgerRow> consumer) {
        readRows("WHERE r.run_id = ? AND " + CURRENT_ROW, "r.ordinal", consumer, runId);
    }

    /** Every row whose key the input no longer has, with its images (still on disk), in their last input order. */
    public void forEachRemovedRow(Consumer<LedgerRow> consumer) {
        readRows("WHERE r.run_id = ? AND r.superseded_by IS NULL AND r.removed_pass IS NOT NULL", "r.ordinal",
                consumer, runId);
    }

    /** The earlier versions of a row's key (its request changed since), newest first, with their images. */
    public List<LedgerRow> earlierVersions(String rowKey) {
        List<LedgerRow> found = new ArrayList<>();
        readRows("WHERE r.run_id = ? AND r.row_key = ? AND r.superseded_by IS NOT NULL", "r.row_no DESC",
                found::add, runId, rowKey);
        return found;
    }

    /** Where an image of an earlier version now is (it was set aside for the new version's image). */
    public void moveImage(long rowNo, int imageNo, String file) {
        jdbc.update("UPDATE zb_image SET file = ? WHERE run_id = ? AND row_no = ? AND image_no = ?", file, runId,
                rowNo, imageNo);
    }

    private void readRows(String where, String order, Consumer<LedgerRow> consumer, Object... args) {
        RowAssembler assembler = new RowAssembler(consumer);
        jdbc.query("SELECT " + ROW_COLUMNS + ", i.image_no, i.file, i.bytes, i.sha256, i.width, i.height, "
                + "i.content_type, i.mismatch FROM zb_row r LEFT JOIN zb_image i ON i.run_id = r.run_id AND i.row_no = r.row_no "
                + where + " ORDER BY " + order + ", i.image_no", assembler::accept, args);
        assembler.flush();
    }

    /** Folds the joined rows (one per image) back into one LedgerRow with its images. */
    private static final class RowAssembler {
        private final Consumer<LedgerRow> consumer;
        private LedgerRow current;
        private List<ImageRecord> images;

        RowAssembler(Consumer<LedgerRow> consumer) {
            this.consumer = consumer;
        }

        void accept(ResultSet rs) throws SQLException {
            long rowNo = rs.getLong("row_no");
            if (current == null || current.rowNo() != rowNo) {
                flush();
                images = new ArrayList<>();
                current = new LedgerRow(rowNo, rs.getString("row_key"), rs.getLong("ordinal"),
                        (Long) rs.getObject("replaces", Long.class), rs.getLong("line"), rs.getString("row_id"),
                        rs.getString("file_stem"), rs.getString("prompt"), rs.getString("request_json"),
                        RowState.valueOf(rs.getString("state")), rs.getString("provider"), rs.getString("account"),
                        rs.getString("model"),
                        rs.getString("request_id"), rs.getString("poll_url"), rs.getString("result_url"),
                        rs.getInt("attempts"), rs.getInt("polls"), (Long) rs.getObject("seed", Long.class),
                        rs.getBigDecimal("cost_usd"), rs.getString("error_field"), rs.getString("error"),
                        rs.getObject("submitted_at", OffsetDateTime.class),
                        rs.getObject("finished_at", OffsetDateTime.class), (Long) rs.getObject("duplicate_of", Long.class),
                        rs.getString("cached_from"), images);
            }
            if (rs.getObject("image_no") != null) {
                images.add(new ImageRecord(rs.getInt("image_no"), rs.getString("file"), rs.getLong("bytes"),
                        rs.getString("sha256"), rs.getInt("width"), rs.getInt("height"),
                        rs.getString("content_type"), rs.getString("mismatch")));
            }
        }

        void flush() {
            if (current != null) consumer.accept(current);
            current = null;
        }
    }

    // ---- helpers

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }

}
