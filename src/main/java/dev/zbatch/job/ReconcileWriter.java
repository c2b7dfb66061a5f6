package dev.zbatch.job;

import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.NewRow;
import dev.zbatch.reconcile.LedgerEntries;
import dev.zbatch.reconcile.Reconciler;
import dev.zbatch.request.RowPlan;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * The end of the reconcile step: each chunk of the input's rows is reconciled with the ledger by key. A new
 * reconciliation starts with every execution of the step (the input is read from its first row each time).
 */
class ReconcileWriter implements ItemWriter<RowPlan>, StepExecutionListener {

    private final Ledger ledger;
    private final LedgerEntries entries;
    private Reconciler reconciler;

    ReconcileWriter(Ledger ledger, LedgerEntries entries) {
        this.ledger = ledger;
        this.entries = entries;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        reconciler = new Reconciler(ledger.intake(), ledger.pass(), true);
    }

    @Override
    public void write(Chunk<? extends RowPlan> chunk) {
        List<NewRow> rows = new ArrayList<>(chunk.size());
        for (RowPlan plan : chunk) rows.add(entries.entry(plan));
        reconciler.accept(rows);
    }

    /** The reconciliation under way (or just read to its end). */
    Reconciler reconciler() {
        return reconciler;
    }
}
