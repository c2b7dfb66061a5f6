package dev.zbatch.job;

import dev.zbatch.collect.CachedImages;
import dev.zbatch.run.RunControl;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.PendingRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.util.List;

/**
 * The cache step, between settling the input and sending it: every PENDING row whose fixed-seed request is in
 * the content cache is given its images, so the submit step never sends it. Does nothing without a cache.
 */
class CacheTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(CacheTasklet.class);
    private static final int BATCH = 500;

    private final CachedImages cached;
    private final Ledger ledger;
    private final RunControl control;

    CacheTasklet(CachedImages cached, Ledger ledger, RunControl control) {
        this.cached = cached;
        this.ledger = ledger;
        this.control = control;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        if (!cached.enabled()) return RepeatStatus.FINISHED;
        long served = 0;
        long after = 0;
        for (List<PendingRow> rows = ledger.pendingAfter(after, BATCH);
             !rows.isEmpty() && !control.submittingStopped(); rows = ledger.pendingAfter(after, BATCH)) {
            for (PendingRow row : rows) {
                if (cached.serve(row)) served++;
                after = row.ordinal();
            }
        }
        if (served > 0) log.info("{} rows were given their images from the content cache: nothing sent", served);
        contribution.incrementWriteCount(served);
        return RepeatStatus.FINISHED;
    }
}
