package dev.zbatch.job;

import dev.zbatch.collect.Collector;
import dev.zbatch.control.RunControl;
import dev.zbatch.control.RunStoppedException;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The collect step: one collector pass per call (and per short transaction) until nothing is left in flight.
 * A halted run fails the step rather than completing it, so that the job stays restartable and the next run
 * collects what is still in flight.
 */
class CollectTasklet implements Tasklet {

    private final Collector collector;
    private final RunControl control;

    CollectTasklet(Collector collector, RunControl control) {
        this.collector = collector;
        this.control = control;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        if (!collector.pass()) return RepeatStatus.CONTINUABLE;
        if (control.halted()) throw new RunStoppedException(control.stopReason());
        return RepeatStatus.FINISHED;
    }
}
