package dev.zbatch.reconcile;

import dev.zbatch.ledger.NewRow;
import dev.zbatch.request.CanonicalJson;
import dev.zbatch.request.RowPlan;

import java.util.function.Function;

/** Turns a row's plan into what the ledger holds of it: its key, its canonical request and its hash. */
public final class LedgerEntries {

    private final String provider;
    private final String model;
    private final Function<RowPlan, String> fileStems;

    /** @param fileStems the wished-for image file name stem of a row (sanitised) */
    public LedgerEntries(String provider, String model, Function<RowPlan, String> fileStems) {
        this.provider = provider;
        this.model = model;
        this.fileStems = fileStems;
    }

    public NewRow entry(RowPlan plan) {
        String key = RowKey.of(plan);
        long ordinal = plan.row().rowNo();
        long line = plan.row().line();
        if (plan.rejected()) {
            return NewRow.rejected(key, ordinal, line, plan.id(), plan.prompt(), plan.rejection().field(),
                    plan.rejection().reason());
        }
        String json = CanonicalJson.write(provider, model, plan.request());
        return NewRow.pending(key, ordinal, line, plan.id(), fileStems.apply(plan), plan.prompt(), json,
                CanonicalJson.sha256(json), plan.request().seed() != -1, plan.request().numImages());
    }
}
