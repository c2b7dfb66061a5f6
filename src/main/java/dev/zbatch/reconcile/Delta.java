package dev.zbatch.reconcile;

/**
 * What one reconciliation of the input with the ledger found.
 *
 * @param rows               the input's data rows
 * @param added              rows whose key the ledger did not have
 * @param changed            known rows whose request changed (prompt, parameters, provider or model)
 * @param unchanged          known rows with the same request: kept as they are
 * @param removed            keys the ledger had in the input before and the input no longer has
 * @param changedWithImages  changed rows that already have their images (making them again costs again)
 * @param withImagesBefore   rows that had their images before this reconciliation
 * @param toSend             rows that will be sent: new, changed, and earlier ones not yet sent
 * @param imagesToSend       the images those rows ask for
 * @param changedImages      the images the changed rows ask for
 * @param held               true when the changes were found but not applied (they need the user's yes)
 */
public record Delta(long rows, long added, long changed, long unchanged, long removed, long changedWithImages,
                    long withImagesBefore, long toSend, long imagesToSend, long changedImages, boolean held) {

    /**
     * True when the changes would make most of the existing images again: more than half of the rows that have
     * images changed their request (a new template or default size does this; a few edited titles do not).
     */
    public boolean massChange() {
        return changedWithImages > 0 && changedWithImages * 2 > withImagesBefore;
    }
}
