package dev.zbatch.ledger;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * How a reconciliation enters the input into the ledger, by row key: new rows, rows that moved, changed rows held
 * until the whole input has been read (then given a new version, or left as they are), and rows the input no
 * longer has. Each chunk's writes are one transaction.
 */
public final class RowIntake {

    /** The live version of a row, as a reconciliation compares it with the input. */
    public record KnownRow(long rowNo, String key, String requestHash, RowState state, long ordinal, long line,
                           boolean removed, String error) {
    }

    /** A known row seen at another position, or back in the input after it was removed; its reason, if refused. */
    public record Moved(long rowNo, long ordinal, long line, String rejectedReason) {
    }

    /** A known row whose request changed: held as {@code row} until the reconciliation is complete. */
    public record Changed(long oldRowNo, NewRow row) {
    }

    /** A new row and the ledger number it is entered under. */
    public record Entered(long rowNo, NewRow row) {
    }

    static final String KNOWN_COLUMNS = "row_no, row_key, request_hash, state, ordinal, line, removed_pass, error";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate inOneTransaction;
    private final Clock clock;
    private final long runId;

    RowIntake(JdbcTemplate jdbc, TransactionTemplate inOneTransaction, Clock clock, long runId) {
        this.jdbc = jdbc;
        this.inOneTransaction = inOneTransaction;
        this.clock = clock;
        this.runId = runId;
    }

    // ---- reading

    /** Keys looked up in one statement at most: H2 compares each row it finds with every key of the list. */
    private static final int KEYS_PER_LOOKUP = 50;

    /**
     * The live rows whose position as last read is between {@code from} and {@code to}, by key: the rows an
     * input read in the same order as before has next, found with one range read.
     */
    public Map<String, KnownRow> liveAt(long from, long to) {
        Map<String, KnownRow> found = new HashMap<>();
        jdbc.query("SELECT " + KNOWN_COLUMNS + " FROM zb_row USE INDEX (zb_row_ordinal) WHERE run_id = ? "
                + "AND ordinal BETWEEN ? AND ? AND superseded_by IS NULL", rs -> {
                    KnownRow row = known(rs);
                    found.put(row.key(), row);
                }, runId, from, to);
        return found;
    }

    /** The live versions of these keys (a key with none is absent from the map). */
    public Map<String, KnownRow> live(Collection<String> keys) {
        Map<String, KnownRow> found = new HashMap<>();
        List<String> all = new ArrayList<>(keys);
        for (int i = 0; i < all.size(); i += KEYS_PER_LOOKUP) {
            found.putAll(liveAmong(all.subList(i, Math.min(all.size(), i + KEYS_PER_LOOKUP))));
        }
        return found;
    }

    private Map<String, KnownRow> liveAmong(List<String> keys) {
        Map<String, KnownRow> found = new HashMap<>();
        if (keys.isEmpty()) return found;
        List<Object> args = new ArrayList<>(keys.size() + 1);
        args.add(runId);
        args.addAll(keys);
        String marks = String.join(", ", java.util.Collections.nCopies(keys.size(), "?"));
        jdbc.query("SELECT " + KNOWN_COLUMNS + " FROM zb_row USE INDEX (zb_row_key) WHERE run_id = ? "
                + "AND superseded_by IS NULL "
                + "AND row_key IN (" + marks + ")", rs -> {
                    KnownRow row = known(rs);
                    found.put(row.key(), row);
                }, args.toArray());
        return found;
    }

    /** The highest ledger number a row version of this run has (0 for none). */
    public long maxRowNo() {
        Long max = jdbc.queryForObject("SELECT COALESCE(MAX(row_no), 0) FROM zb_row WHERE run_id = ?", Long.class,
                runId);
        return max == null ? 0 : max;
    }

    /** Rows entered before rows had keys whose key is still to be found (matched by position, once). */
    public long legacyRows() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM zb_row WHERE run_id = ? AND row_key LIKE 'legacy:%'",
                Long.class, runId);
        return n == null ? 0 : n;
    }

    /**
     * A row entered before rows had keys, at this ordinal, with the same request (or refused both then and now):
     * it takes {@code key} (unless {@code write} is false: a dry run) and is returned; null when there is none.
     */
    public KnownRow adoptLegacy(long ordinal, String key, String requestHash, boolean write) {
        List<KnownRow> found = jdbc.query("SELECT " + KNOWN_COLUMNS + " FROM zb_row WHERE run_id = ? "
                + "AND row_key = ? AND superseded_by IS NULL", (rs, i) -> known(rs), runId, "legacy:" + ordinal);
        if (found.isEmpty()) return null;
        KnownRow legacy = found.get(0);
        boolean same = requestHash == null ? legacy.requestHash() == null : requestHash.equals(legacy.requestHash());
        if (!same) return null;
        if (write) jdbc.update("UPDATE zb_row SET row_key = ? WHERE run_id = ? AND row_no = ?", key, runId, legacy.rowNo());
        return new KnownRow(legacy.rowNo(), key, legacy.requestHash(), legacy.state(), legacy.ordinal(),
                legacy.line(), legacy.removed(), legacy.error());
    }

    /** The ledger number of every live row still counted in the input (for finding the ones it no longer has). */
    public void forEachRowInInput(LongConsumer rowNos) {
        jdbc.query("SELECT row_no FROM zb_row WHERE run_id = ? AND superseded_by IS NULL AND removed_pass IS NULL",
                rs -> {
                    rowNos.accept(rs.getLong(1));
                }, runId);
    }

    /** Live rows with their images (COMPLETED) before this reconciliation changes anything. */
    public long rowsWithImages() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM zb_row WHERE run_id = ? AND superseded_by IS NULL "
                + "AND removed_pass IS NULL AND state = 'COMPLETED'", Long.class, runId);
        return n == null ? 0 : n;
    }

    // ---- writing

    /** Writes one chunk's outcome: new rows, moved rows and held changes, in one transaction. */
    public void write(List<Entered> entered, List<Moved> moved, List<Changed> changed) {
        inOneTransaction.executeWithoutResult(status -> {
            Inserts inserts = new Inserts(entered.stream().map(Entered::row).toList());
            for (Entered e : entered) insert(e.rowNo(), e.row(), null, null, inserts);
            inserts.flush();
            if (!moved.isEmpty()) {
                jdbc.batchUpdate("UPDATE zb_row SET ordinal = ?, line = ?, removed_pass = NULL, "
                                + "error = CASE WHEN state = 'REJECTED' AND ? IS NOT NULL THEN ? ELSE error END "
                                + "WHERE run_id = ? AND row_no = ?", moved, 500,
                        (ps, m) -> {
                            ps.setLong(1, m.ordinal());
                            ps.setLong(2, m.line());
                            ps.setString(3, truncate(m.rejectedReason()));
                            ps.setString(4, truncate(m.rejectedReason()));
                            ps.setLong(5, runId);
                            ps.setLong(6, m.rowNo());
                        });
            }
            for (Changed c : changed) {
                NewRow r = c.row();
                jdbc.update("INSERT INTO zb_change (run_id, old_row_no, ordinal, line, row_id, stem_candidate, prompt, "
                                + "request_json, request_hash, state, error_field, error, fixed_seed, images) "
                                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        runId, c.oldRowNo(), r.ordinal(), r.line(), r.rowId(), r.stemCandidate(), r.prompt(),
                        r.requestJson(), r.requestHash(), r.state().name(), r.errorField(), truncate(r.error()),
                        r.fixedSeed(), r.images());
            }
        });
    }

    /** Forgets the changes an earlier reconciliation held and did not apply (this one finds them again). */
    public void clearHeld() {
        jdbc.update("DELETE FROM zb_change WHERE run_id = ?", runId);
    }

    /** Marks these live rows as no longer in the input (pass {@code pass}); their files and states stay. */
    public void markRemoved(int pass, List<Long> rowNos) {
        jdbc.batchUpdate("UPDATE zb_row SET removed_pass = ? WHERE run_id = ? AND row_no = ?", rowNos, 500,
                (ps, rowNo) -> {
                    ps.setInt(1, pass);
                    ps.setLong(2, runId);
                    ps.setLong(3, rowNo);
                });
    }

    /**
     * Gives up to {@code limit} held changes their new version: the row's new request, PENDING (or REJECTED),
     * under the same key and, when it writes as many files, the same file names; the old version stays, with its
     * cost and images, superseded. Returns how many were applied (0 when none are left).
     */
    public int applyHeld(LongSupplier nextRowNo, int limit) {
        List<Changed> batch = jdbc.query("SELECT c.*, o.row_key, o.file_stem FROM zb_change c "
                        + "JOIN zb_row o ON o.run_id = c.run_id AND o.row_no = c.old_row_no WHERE c.run_id = ? "
                        + "ORDER BY c.ordinal FETCH FIRST ? ROWS ONLY",
                (rs, i) -> new Changed(rs.getLong("old_row_no"), new NewRow(rs.getString("row_key"),
                        rs.getLong("ordinal"), rs.getLong("line"), rs.getString("row_id"),
                        stemOrCandidate(rs), rs.getString("prompt"), rs.getString("request_json"),
                        rs.getString("request_hash"), RowState.valueOf(rs.getString("state")),
                        rs.getString("error_field"), rs.getString("error"), rs.getBoolean("fixed_seed"),
                        rs.getInt("images"))), runId, limit);
        if (batch.isEmpty()) return 0;
        inOneTransaction.executeWithoutResult(status -> {
            OffsetDateTime now = now();
            Inserts inserts = new Inserts(batch.stream().map(Changed::row).toList());
            for (Changed c : batch) {
                long rowNo = nextRowNo.getAsLong();
                String inherited = inheritedStem(c);
                insert(rowNo, c.row(), inherited, c.oldRowNo(), inserts);
                jdbc.update("UPDATE zb_row SET superseded_by = ?, next_poll_at = CASE WHEN state = 'SUBMITTED' "
                        + "THEN next_poll_at END, updated_at = ? WHERE run_id = ? AND row_no = ?",
                        rowNo, now, runId, c.oldRowNo());
                jdbc.update("DELETE FROM zb_change WHERE run_id = ? AND old_row_no = ?", runId, c.oldRowNo());
            }
            inserts.flush();
        });
        return batch.size();
    }

    private static String stemOrCandidate(ResultSet rs) throws SQLException {
        String candidate = rs.getString("stem_candidate");
        return candidate != null ? candidate : rs.getString("file_stem");
    }

    /** The old version's stem when it claimed every name the new one writes (it takes them over); else null. */
    private String inheritedStem(Changed c) {
        if (c.row().rejected()) return null;
        List<String> stems = jdbc.query("SELECT file_stem FROM zb_row WHERE run_id = ? AND row_no = ?",
                (rs, i) -> rs.getString(1), runId, c.oldRowNo());
        String stem = stems.isEmpty() ? null : stems.get(0);
        if (stem == null) return null;
        for (String name : nameKeys(stem, c.row().images())) {
            List<Long> owner = jdbc.query("SELECT row_no FROM zb_file_name WHERE run_id = ? AND name_key = ?",
                    (rs, i) -> rs.getLong(1), runId, name);
            if (owner.isEmpty() || owner.get(0) != c.oldRowNo()) return null;
        }
        return stem;
    }

    private static List<String> nameKeys(String stem, int images) {
        return ImageNames.of(stem, images).stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
    }


    /**
     * The rows and file names a chunk enters, written in two batches at the end; the file names its rows wish for
     * are looked up in one query first (a name taken already, which is rare, is then looked up one at a time).
     */
    private final class Inserts {
        final List<Object[]> rows = new ArrayList<>();
        final List<Object[]> names = new ArrayList<>();
        final Map<String, Long> requestsInChunk = new HashMap<>();
        final Set<String> namesInChunk = new HashSet<>();
        final Set<String> takenBefore;
        final OffsetDateTime now = now();

        Inserts(List<NewRow> entering) {
            Set<String> wished = new HashSet<>();
            for (NewRow row : entering) {
                if (row.stemCandidate() == null) continue;
                for (String name : ImageNames.of(row.stemCandidate(), row.images())) {
                    wished.add(name.toLowerCase(Locale.ROOT));
                }
            }
            takenBefore = taken(wished);
        }

        void flush() {
            if (!rows.isEmpty()) {
                jdbc.batchUpdate("INSERT INTO zb_row (run_id, row_no, row_key, ordinal, line, row_id, file_stem, "
                        + "prompt, request_json, request_hash, duplicate_of, replaces, state, provider, model, "
                        + "error_field, error, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
            }
            if (!names.isEmpty()) {
                jdbc.batchUpdate("INSERT INTO zb_file_name (run_id, name_key, row_no) VALUES (?, ?, ?)", names);
            }
            rows.clear();
            names.clear();
        }
    }

    private void insert(long rowNo, NewRow row, String inheritedStem, Long replaces, Inserts inserts) {
        RowState state = row.state();
        Long duplicateOf = null;
        if (state == RowState.PENDING && row.fixedSeed()) {
            duplicateOf = earlierSameRequest(rowNo, row, inserts.requestsInChunk);
            if (duplicateOf != null) state = RowState.DUPLICATE;
        }
        String stem = null;
        if (state != RowState.REJECTED) {
            if (inheritedStem != null) {
                stem = inheritedStem;
                for (String name : nameKeys(stem, row.images())) {
                    jdbc.update("UPDATE zb_file_name SET row_no = ? WHERE run_id = ? AND name_key = ?", rowNo, runId,
                            name);
                }
            } else {
                stem = claimStem(rowNo, row.stemCandidate(), row.images(), inserts);
            }
        }
        String[] providerAndModel = providerAndModel();
        inserts.rows.add(new Object[]{runId, rowNo, row.key(), row.ordinal(), row.line(), row.rowId(), stem,
                row.prompt(), row.requestJson(), row.requestHash(), duplicateOf, replaces, state.name(),
                providerAndModel[0], providerAndModel[1], row.errorField(), truncate(row.error()), inserts.now,
                inserts.now});
    }

    private String[] providerAndModel;

    /** The run's provider and model: every row of the run is sent to them. */
    private String[] providerAndModel() {
        if (providerAndModel == null) {
            providerAndModel = jdbc.queryForObject("SELECT provider, model FROM zb_run WHERE run_id = ?",
                    (rs, i) -> new String[]{rs.getString(1), rs.getString(2)}, runId);
        }
        return providerAndModel;
    }

    /** Which of these lower-cased file names some row has claimed already. */
    private Set<String> taken(Set<String> names) {
        Set<String> taken = new HashSet<>();
        List<String> all = new ArrayList<>(names);
        for (int i = 0; i < all.size(); i += KEYS_PER_LOOKUP) {
            taken.addAll(takenAmong(all.subList(i, Math.min(all.size(), i + KEYS_PER_LOOKUP))));
        }
        return taken;
    }

    private Set<String> takenAmong(List<String> names) {
        Set<String> taken = new HashSet<>();
        if (names.isEmpty()) return taken;
        List<Object> args = new ArrayList<>(names.size() + 1);
        args.add(runId);
        args.addAll(names);
        jdbc.query("SELECT name_key FROM zb_file_name USE INDEX (zb_file_name_key) "
                + "WHERE run_id = ? AND name_key IN ("
                + String.join(", ", java.util.Collections.nCopies(names.size(), "?")) + ")", rs -> {
                    taken.add(rs.getString(1));
                }, args.toArray());
        return taken;
    }

    /** The first row with the same request and a fixed seed, whose images this row can have; null when none. */
    private Long earlierSameRequest(long rowNo, NewRow row, Map<String, Long> requestsInChunk) {
        Long earlier = requestsInChunk.get(row.requestHash());
        if (earlier == null) {
            earlier = jdbc.query("SELECT MIN(row_no) FROM zb_row WHERE run_id = ? AND request_hash = ? "
                            + "AND duplicate_of IS NULL AND state <> 'REJECTED' AND superseded_by IS NULL "
                            + "AND (removed_pass IS NULL OR state = 'COMPLETED')",
                    rs -> rs.next() ? (Long) rs.getObject(1, Long.class) : null, runId, row.requestHash());
        }
        if (earlier == null) requestsInChunk.put(row.requestHash(), rowNo);
        return earlier;
    }

    /**
     * The stem itself, or stem-2, stem-3…: the first whose file names (the stem for one image, stem-1 … stem-n
     * for n) no other row writes, compared case-insensitively. The names are claimed for this row.
     */
    private String claimStem(long rowNo, String candidate, int images, Inserts inserts) {
        for (int n = 1; ; n++) {
            String stem = n == 1 ? candidate : candidate + "-" + n;
            List<String> keys = ImageNames.of(stem, images).stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
            boolean free = n == 1
                    ? keys.stream().noneMatch(k -> inserts.namesInChunk.contains(k) || inserts.takenBefore.contains(k))
                    : keys.stream().noneMatch(k -> inserts.namesInChunk.contains(k) || nameTaken(k));
            if (!free) continue;
            for (String key : keys) {
                inserts.names.add(new Object[]{runId, key, rowNo});
                inserts.namesInChunk.add(key);
            }
            return stem;
        }
    }

    private boolean nameTaken(String key) {
        Integer taken = jdbc.queryForObject("SELECT COUNT(*) FROM zb_file_name WHERE run_id = ? AND name_key = ?",
                Integer.class, runId, key);
        return taken != null && taken > 0;
    }

    private static KnownRow known(ResultSet rs) throws SQLException {
        String hash = rs.getString("request_hash");
        // a CHAR(64) column: a database may pad a shorter value
        return new KnownRow(rs.getLong("row_no"), rs.getString("row_key"), hash == null ? null : hash.strip(),
                RowState.valueOf(rs.getString("state")), rs.getLong("ordinal"), rs.getLong("line"),
                rs.getObject("removed_pass") != null, rs.getString("error"));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }
}
