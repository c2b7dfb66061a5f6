package dev.zbatch.submit;

import dev.zbatch.control.RunControl;
import dev.zbatch.control.RunStoppedException;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.NewRow;
import dev.zbatch.ledger.RowState;
import dev.zbatch.request.CanonicalJson;
import dev.zbatch.request.RowPlan;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The end of the submit step: enters a chunk's rows into the ledger (PENDING or REJECTED), then sends the
 * PENDING ones, a few at a time and never more than the in-flight window allows. Rows already in the ledger
 * from an earlier attempt keep their state, so a row with a request id is never sent again.
 */
public class SubmitWriter implements ItemWriter<RowPlan> {

    private final Ledger ledger;
    private final long runId;
    private final String provider;
    private final String model;
    private final Submitter submitter;
    private final Function<RowPlan, String> fileStems;
    private final ExecutorService senders;
    private final RunControl control;

    public SubmitWriter(Ledger ledger, long runId, String provider, String model, Submitter submitter,
                        Function<RowPlan, String> fileStems, ExecutorService senders, RunControl control) {
        this.ledger = ledger;
        this.runId = runId;
        this.provider = provider;
        this.model = model;
        this.submitter = submitter;
        this.fileStems = fileStems;
        this.senders = senders;
        this.control = control;
    }

    @Override
    public void write(Chunk<? extends RowPlan> chunk) throws Exception {
        if (control.submittingStopped()) throw new RunStoppedException(control.stopReason());
        List<NewRow> rows = new ArrayList<>(chunk.size());
        for (RowPlan plan : chunk) rows.add(toLedgerRow(plan));
        Map<Long, RowState> states = ledger.register(runId, provider, model, rows);

        List<Callable<Void>> sends = new ArrayList<>();
        for (RowPlan plan : chunk) {
            if (states.get(plan.row().rowNo()) != RowState.PENDING) continue;
            sends.add(() -> {
                submitter.submit(runId, plan.row().rowNo(), plan.request());
                return null;
            });
        }
        awaitAll(senders.invokeAll(sends));
    }

    private NewRow toLedgerRow(RowPlan plan) {
        long rowNo = plan.row().rowNo();
        long line = plan.row().line();
        if (plan.rejected()) {
            return NewRow.rejected(rowNo, line, plan.id(), plan.prompt(), plan.rejection().field(),
                    plan.rejection().reason());
        }
        String json = CanonicalJson.write(provider, model, plan.request());
        return NewRow.pending(rowNo, line, plan.id(), fileStems.apply(plan), plan.prompt(), json,
                CanonicalJson.sha256(json), plan.request().seed() != -1, plan.request().numImages());
    }

    /** Waits for every send; a stop or an unexpected error in any of them ends the chunk. */
    private static void awaitAll(List<Future<Void>> futures) throws Exception {
        Exception first = null;
        for (Future<Void> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                Exception cause = e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
                if (first == null || (first instanceof RunStoppedException && !(cause instanceof RunStoppedException))) {
                    first = cause; // an unexpected error outranks a stop
                }
            }
        }
        if (first != null) throw first;
    }
}
