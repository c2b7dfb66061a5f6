package dev.zbatch.job;

import dev.zbatch.run.RunControl;
import dev.zbatch.run.StopReason;
import dev.zbatch.cost.Price;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.reconcile.Delta;
import dev.zbatch.reconcile.DeltaAnnouncer;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.math.RoundingMode;

/**
 * After the whole input has been reconciled: keys it no longer has are marked removed, changed rows get their new
 * versions, and what was found is recorded and shown. A change that would make most existing images again is
 * held instead, and the run stops before sending anything (exit 2) until the user accepts it.
 */
class SettleTasklet implements Tasklet {

    /** Exit code of a run that stopped for the user's yes: nothing was sent. */
    static final int NEEDS_ACCEPTANCE = 2;

    private final ReconcileWriter reconcile;
    private final Ledger ledger;
    private final boolean acceptChanges;
    private final RunControl control;
    private final DeltaAnnouncer announcer;
    private final Price price;

    SettleTasklet(ReconcileWriter reconcile, Ledger ledger, boolean acceptChanges, RunControl control,
                  DeltaAnnouncer announcer, Price price) {
        this.price = price;
        this.reconcile = reconcile;
        this.ledger = ledger;
        this.acceptChanges = acceptChanges;
        this.control = control;
        this.announcer = announcer;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        Delta delta = reconcile.reconciler().finish(acceptChanges);
        ledger.recordReconciliation(ledger.pass(), delta.rows(), delta.added(), delta.changed(),
                delta.unchanged(), delta.removed(), delta.held() ? delta.changed() : 0);
        announcer.announce(delta);
        if (delta.held()) {
            control.halt(new StopReason("the input changes the request of " + delta.changedWithImages() + " of the "
                    + delta.withImagesBefore() + " rows that have images (a new template, default or column?); "
                    + "making the " + delta.changed() + " changed rows again would cost about $"
                    + price.of(delta.changedImages()).setScale(2, RoundingMode.HALF_UP).toPlainString()
                    + ". Nothing was sent. If that is what you want, run the same command with --accept-changes",
                    NEEDS_ACCEPTANCE));
        }
        return RepeatStatus.FINISHED;
    }
}
