package dev.zbatch.output;

import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.LedgerRow;
import dev.zbatch.ledger.RunInfo;

import java.nio.file.Path;
import java.util.List;

/**
 * The views of a run that live in its output folder: both manifests and the gallery of the input's rows, and
 * {@code removed.jsonl} of the rows the input no longer has, rendered together from one pass over the ledger (for
 * a run of millions of rows, reading the ledger is most of the work). When no row or image has changed since they
 * were last written, only the gallery's summary is written again: an unchanged input read again costs no
 * rendering.
 */
public final class Reports {

    private Reports() {
    }

    public static void write(Ledger ledger, Path outputDir) {
        // read now, not kept from the start: the run records how many rows its input has once it has read them all
        RunInfo run = ledger.run();
        long changes = ledger.rowChanges(); // read before the rows: a change made while they are read counts after
        if (ledger.reportedAt(changes) && ManifestWriter.present(outputDir)
                && Gallery.refreshSummary(ledger, run, outputDir)) {
            return;
        }
        try (ManifestWriter manifests = ManifestWriter.open(outputDir);
             Gallery gallery = Gallery.open(ledger, run, outputDir)) {
            ledger.forEachRow(row -> {
                List<LedgerRow> earlier = row.replaces() == null ? List.of() : ledger.earlierVersions(row.key());
                manifests.add(row, earlier);
                gallery.add(row, earlier);
            });
            ledger.forEachRemovedRow(manifests::addRemoved);
            manifests.finish();
            gallery.finish();
        }
        ledger.recordReported(changes);
    }
}
