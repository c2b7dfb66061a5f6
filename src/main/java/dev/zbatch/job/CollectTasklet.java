package dev.zbatch.job;

import dev.zbatch.collect.CollectLoop;
import dev.zbatch.run.RunControl;
import dev.zbatch.run.RunStoppedException;
import dev.zbatch.run.StopReason;
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

    private final CollectLoop collector;
    private final RunControl control;

    CollectTasklet(CollectLoop collector, RunControl control) {
        this.collector = collector;
        this.control = control;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        boolean done;
        try {
            done = collector.pass();
        } catch (RuntimeException e) {
            // nobody would collect any more: stop the submit side too, or it would wait for room forever
            control.halt(StopReason.resumable("collecting failed (" + e + "); run the same command again"));
            throw e;
        }
        if (!done) return RepeatStatus.CONTINUABLE;
        if (control.halted()) throw new RunStoppedException(control.stopReason());
        return RepeatStatus.FINISHED;
    }
}
