package dev.zbatch.job;

import dev.zbatch.collect.Collector;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/** The collect step: one collector pass per call (and per short transaction) until nothing is left in flight. */
class CollectTasklet implements Tasklet {

    private final Collector collector;

    CollectTasklet(Collector collector) {
        this.collector = collector;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        return collector.pass() ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
    }
}
