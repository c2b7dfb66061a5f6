package dev.zbatch.submit;

import dev.zbatch.run.RunControl;
import dev.zbatch.run.RunStoppedException;
import dev.zbatch.ledger.PendingRow;
import dev.zbatch.request.CanonicalJson;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The end of the submit step: sends a chunk of PENDING rows, a few at a time and never more than the in-flight
 * window allows. Each send is conditional on the row still being PENDING, so a row with a request id is never
 * sent again.
 */
public class SubmitWriter implements ItemWriter<PendingRow> {
    private final Submitter submitter;
    private final ExecutorService senders;
    private final RunControl control;

    public SubmitWriter(Submitter submitter, ExecutorService senders, RunControl control) {
        this.submitter = submitter;
        this.senders = senders;
        this.control = control;
    }

    @Override
    public void write(Chunk<? extends PendingRow> chunk) throws Exception {
        if (control.submittingStopped()) throw new RunStoppedException(control.stopReason());
        List<Callable<Void>> sends = new ArrayList<>();
        for (PendingRow row : chunk) {
            sends.add(() -> {
                submitter.submit(row.rowNo(), CanonicalJson.read(row.requestJson()));
                return null;
            });
        }
        awaitAll(senders.invokeAll(sends));
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
