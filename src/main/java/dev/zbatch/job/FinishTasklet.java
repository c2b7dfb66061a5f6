package dev.zbatch.job;

import dev.zbatch.ledger.Ledger;
import dev.zbatch.output.Reports;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.nio.file.Path;

/** The finish step: renders the manifests and the gallery from the ledger. */
class FinishTasklet implements Tasklet {

    private final Ledger ledger;
    private final Path outputDir;

    FinishTasklet(Ledger ledger, Path outputDir) {
        this.ledger = ledger;
        this.outputDir = outputDir;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        Reports.write(ledger, outputDir);
        return RepeatStatus.FINISHED;
    }
}
