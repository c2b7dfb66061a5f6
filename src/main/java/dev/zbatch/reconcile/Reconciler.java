package dev.zbatch.reconcile;

import dev.zbatch.ledger.NewRow;
import dev.zbatch.ledger.RowIntake;
import dev.zbatch.ledger.RowIntake.Changed;
import dev.zbatch.ledger.RowIntake.Entered;
import dev.zbatch.ledger.RowIntake.KnownRow;
import dev.zbatch.ledger.RowIntake.Moved;
import dev.zbatch.ledger.RowState;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One reconciliation of the whole input with the ledger, by row key, a chunk at a time (memory holds one chunk
 * and one bit per ledger row, never the file). Each row is new (entered PENDING), unchanged (kept as it is: its
 * images, its request in flight), or changed (held until the end: then it gets a new version, or the change is
 * stated and waits for the user's yes). Keys the input no longer has are marked removed at the end.
 * <p>
 * Running it again on an input edited in between gives what a reconciliation of the edited input alone gives:
 * it depends on the keys and requests, never on what an interrupted earlier pass had got to.
 */
public final class Reconciler {

    private final RowIntake intake;
    private final int pass;
    private final boolean write;
    private final boolean legacy;
    /** Ledger rows matched by this pass, by ledger number: a second row with the same key is a repeat. */
    private final BitSet seen = new BitSet();
    private long nextRowNo;
    /** Where the last matched row was in the ledger, less where it is in the input. */
    private long shift;
    /** Positions read beyond a chunk's own on either side: rows moved a little stay within one read. */
    private static final int SLACK = 64;
    private long rows;
    private long added;
    private long changed;
    private long unchanged;
    private long changedWithImages;
    private long toSend;
    private long imagesToSend;
    private long changedToSend;
    private long changedImages;
    private final long withImagesBefore;

    /** @param write false for a dry run ({@code estimate}): the same findings, nothing written */
    public Reconciler(RowIntake intake, int pass, boolean write) {
        this.intake = intake;
        this.pass = pass;
        this.write = write;
        if (write) intake.clearHeld();
        this.nextRowNo = intake.maxRowNo() + 1;
        this.legacy = intake.legacyRows() > 0;
        this.withImagesBefore = intake.rowsWithImages();
    }

    /** Reconciles the next rows of the input, in input order, each under its first key. */
    public void accept(List<NewRow> chunk) {
        if (chunk.isEmpty()) return;
        Map<String, KnownRow> known = known(chunk);
        Set<String> usedInChunk = new HashSet<>();
        Map<String, Long> firstLineInChunk = new HashMap<>();
        List<Entered> entered = new ArrayList<>();
        List<Moved> moved = new ArrayList<>();
        List<Changed> held = new ArrayList<>();
        for (NewRow row : chunk) {
            rows++;
            String first = row.key();
            String key = first;
            KnownRow match = known.get(first);
            for (int n = 2; usedInChunk.contains(key) || (match != null && seen.get(index(match.rowNo()))); n++) {
                key = RowKey.occurrence(first, n);
                match = usedInChunk.contains(key) ? null : intake.live(List.of(key)).get(key);
            }
            usedInChunk.add(key);
            firstLineInChunk.putIfAbsent(first, row.line());
            NewRow keyed = key.equals(first) ? row : row.withKey(key);
            if (!key.equals(first) && row.rowId() != null) {
                keyed = keyed.refused("id", "duplicate id '" + row.rowId() + "' (first used on "
                        + firstLine(first, row, firstLineInChunk, known) + ")");
            }
            if (match == null && legacy) {
                match = intake.adoptLegacy(row.ordinal(), key, keyed.requestHash(), write);
            }
            if (match == null) {
                long rowNo = nextRowNo++;
                seen.set(index(rowNo));
                entered.add(new Entered(rowNo, keyed));
                added++;
                countToSend(keyed);
                continue;
            }
            seen.set(index(match.rowNo()));
            shift = match.ordinal() - keyed.ordinal();
            boolean positionChanged = match.ordinal() != keyed.ordinal() || match.line() != keyed.line()
                    || match.removed();
            if (Objects.equals(keyed.requestHash(), match.requestHash())) {
                unchanged++;
                boolean reasonChanged = keyed.rejected() && !Objects.equals(keyed.error(), match.error());
                if (positionChanged || reasonChanged) {
                    moved.add(new Moved(match.rowNo(), keyed.ordinal(), keyed.line(),
                            keyed.rejected() ? keyed.error() : null));
                }
                if (match.state() == RowState.PENDING || match.state() == RowState.SKIPPED) countToSend(keyed);
            } else {
                changed++;
                if (match.state() == RowState.COMPLETED) changedWithImages++;
                if (positionChanged) moved.add(new Moved(match.rowNo(), keyed.ordinal(), keyed.line(), null));
                held.add(new Changed(match.rowNo(), keyed));
                if (!keyed.rejected()) {
                    changedToSend++;
                    changedImages += keyed.images();
                }
            }
        }
        if (write) intake.write(entered, moved, held);
    }

    /** Where the first row with this id is: in this chunk, or (read before it) in the ledger. */
    private static String firstLine(String first, NewRow repeat, Map<String, Long> firstLineInChunk,
                                    Map<String, KnownRow> known) {
        long inChunk = firstLineInChunk.get(first);
        if (inChunk != repeat.line()) return "line " + inChunk;
        KnownRow earlier = known.get(first);
        return earlier != null ? "line " + earlier.line() : "an earlier line";
    }

    /**
     * The ledger's live rows for a chunk's first keys. An input read again mostly has its rows where they were, or
     * shifted by the rows inserted or deleted above them: so the rows at the chunk's positions (shifted as the last
     * match was) are read in one range, and only the keys not among them are looked up.
     */
    private Map<String, KnownRow> known(List<NewRow> chunk) {
        long from = chunk.get(0).ordinal() + shift;
        long to = chunk.get(chunk.size() - 1).ordinal() + shift;
        Map<String, KnownRow> known = intake.liveAt(from - SLACK, to + SLACK);
        Set<String> missing = new LinkedHashSet<>();
        for (NewRow row : chunk) if (!known.containsKey(row.key())) missing.add(row.key());
        known.putAll(intake.live(missing));
        return known;
    }

    private void countToSend(NewRow row) {
        if (row.rejected()) return;
        toSend++;
        imagesToSend += row.images();
    }

    /**
     * Ends the reconciliation once the whole input has been read: marks the keys it no longer has as removed and
     * gives the changed rows their new versions, unless the changes would make most existing images again and
     * {@code acceptMassChange} is false: then they are held, and nothing of them is applied.
     */
    public Delta finish(boolean acceptMassChange) {
        List<Long> gone = new ArrayList<>();
        intake.forEachRowInInput(rowNo -> {
            if (!seen.get(index(rowNo))) gone.add(rowNo);
        });
        Delta delta = new Delta(rows, added, changed, unchanged, gone.size(), changedWithImages, withImagesBefore,
                toSend + changedToSend, imagesToSend + changedImages, changedImages, false);
        if (delta.massChange() && !acceptMassChange) {
            delta = new Delta(rows, added, changed, unchanged, gone.size(), changedWithImages, withImagesBefore,
                    toSend, imagesToSend, changedImages, true);
        }
        if (!write) return delta;
        intake.markRemoved(pass, gone);
        if (!delta.held()) {
            while (intake.applyHeld(() -> nextRowNo++, 500) > 0) {
                // a batch at a time, each its own transaction
            }
        }
        return delta;
    }

    private static int index(long rowNo) {
        return Math.toIntExact(rowNo);
    }
}
