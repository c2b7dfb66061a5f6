package dev.zbatch.cost;

import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.input.InputFiles;
import dev.zbatch.input.InputRow;
import dev.zbatch.input.InputRows;
import dev.zbatch.input.RowSource;
import dev.zbatch.run.RunPaths;
import dev.zbatch.provider.registry.ProviderKind;
import dev.zbatch.ledger.NewRow;
import dev.zbatch.reconcile.LedgerEntries;
import dev.zbatch.reconcile.Reconciler;
import dev.zbatch.cache.ContentCache;
import dev.zbatch.request.ModelSpec;
import dev.zbatch.request.RequestBuilder;
import dev.zbatch.request.RoundedSizes;
import dev.zbatch.request.RowPlan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The dry run: reads the whole input with the run's own reader, template and validation, and works out what the
 * run would reject, make, cost and take; with the ledger of an earlier run, also what is new, changed and removed
 * since, and what would be sent. No network, no provider, nothing written to a ledger: the only file it writes is
 * {@code <output>/estimate-rejected.csv}, when some row would be rejected. Memory does not grow with the file
 * beyond a few bytes per distinct id and fixed-seed request.
 */
public final class Estimator {

    /** Rows looked up in the ledger at once, as the run's reconcile step does. */
    private static final int CHUNK = 500;

    private Estimator() {
    }

    /**
     * @throws dev.zbatch.config.ConfigException     when the provider, model, a job default or a limit is unusable
     * @throws dev.zbatch.input.InputException       when the input cannot be read to its end (file, line, field)
     */
    public static Estimate estimate(ZbatchProperties properties) {
        return estimate(properties, null);
    }

    /**
     * @param againstLedger a dry reconciliation with the ledger of the output folder's run (nothing is written to
     *                      it), or null when the folder has none
     */
    public static Estimate estimate(ZbatchProperties properties, Reconciler againstLedger) {
        RunPaths paths = RunPaths.from(properties);
        ModelSpec model = ProviderKind.spec(properties);
        RoundedSizes roundedSizes = new RoundedSizes(model);
        RequestBuilder requests = RequestBuilder.of(model, properties);
        AccountShares accounts = AccountShares.of(properties, PriceTable.priceOf(properties));
        Price price = accounts.price();
        Pace pace = Pace.of(properties);

        RowTally tally;
        Path rejectionsFile;
        try (RowSource source = InputFiles.open(paths.input(), paths.inputOptions());
             RejectionsFile rejections = new RejectionsFile(paths.outputDir())) {
            InputRows.requireColumns(source, paths.input(), requests.requiredColumns());
            Path cacheDir = properties.cache().dir();
            tally = new RowTally(properties.provider().id(), properties.model(), rejections,
                    cacheDir == null ? null : new ContentCache(cacheDir));
            // file names do not decide anything in a dry reconciliation
            LedgerEntries entries = new LedgerEntries(properties.provider().id(), properties.model(), plan -> "");
            List<NewRow> chunk = new ArrayList<>(CHUNK);
            for (InputRow row = InputRows.nextOrUnreadable(source); row != null;
                 row = InputRows.nextOrUnreadable(source)) {
                RowPlan plan = requests.plan(row);
                tally.add(plan);
                roundedSizes.note(plan);
                if (againstLedger == null) continue;
                chunk.add(entries.entry(plan));
                if (chunk.size() == CHUNK) {
                    againstLedger.accept(chunk);
                    chunk.clear();
                }
            }
            if (againstLedger != null && !chunk.isEmpty()) againstLedger.accept(chunk);
            rejectionsFile = rejections.finish();
        }
        return new Estimate(paths.jobName(), paths.input(), properties.provider().id(), properties.model(),
                tally.rows, tally.validRows, tally.rejectedRows, tally.firstRejections(), rejectionsFile,
                tally.images, tally.duplicateRows, tally.duplicateImages, tally.cachedRows, tally.cachedImages, price,
                pace, pace.secondsFromCommandFor(tally.validRows - tally.duplicateRows - tally.cachedRows),
                againstLedger == null ? null : againstLedger.finish(properties.input().acceptChanges()), roundedSizes,
                accounts);
    }
}
