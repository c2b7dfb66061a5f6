package dev.zbatch.output;

import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.LedgerRow;
import dev.zbatch.ledger.RunInfo;

import java.nio.file.Path;
import java.util.List;

/**
 * The views of a run that live in its output folder: both manifests and the gallery of the input's rows, and
 * {@code removed.jsonl} of the rows the input no longer has, rendered together from one pass over the ledger (for
 * a run of millions of rows, reading the ledger is most of the work).
 */
public final class Reports {

    private Reports() {
    }

    /**
     * Renders the views for the process that runs the job (no other process changes the run's rows while it holds
     * the ledger). When no row or image has changed since the last rendering, only the gallery's summary is
     * written again: an unchanged input read again costs no rendering.
     */
    public static void write(Ledger ledger, Path outputDir) {
        long mark = ledger.renderingMark();
        RunInfo run = ledger.run();
        boolean current = ledger.unchangedSince(mark) && ManifestWriter.present(outputDir)
                && Gallery.refreshSummary(ledger, run, outputDir);
        if (!current) render(ledger, run, outputDir);
        ledger.recordRendering(mark);
    }

    /**
     * Renders every view from the ledger, from any process (a run may be changing rows meanwhile: this rendering
     * is not recorded as current).
     */
    public static void writeAll(Ledger ledger, Path outputDir) {
        render(ledger, ledger.run(), outputDir);
    }

    private static void render(Ledger ledger, RunInfo run, Path outputDir) {
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
    }
}
