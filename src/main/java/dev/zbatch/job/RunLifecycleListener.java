package dev.zbatch.job;

import dev.zbatch.run.RunControl;
import dev.zbatch.files.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.ExitStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What happens at the edges of a run: before it, half-written files of a crash are removed (rows it left
 * SUBMITTING are settled by the JobRunner); when submitting ends, for whatever reason, the collector is told.
 */
class RunLifecycleListener implements JobExecutionListener, StepExecutionListener {

    static final String RECONCILE_STEP = "reconcile";
    static final String SUBMIT_STEP = "submit";

    private static final Logger log = LoggerFactory.getLogger(RunLifecycleListener.class);

    private final Path imagesDir;
    private final RunControl control;
    RunLifecycleListener(Path imagesDir, RunControl control) {
        this.imagesDir = imagesDir;
        this.control = control;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        try {
            Files.createDirectories(imagesDir);
            int stale = AtomicFiles.deleteStalePartFiles(imagesDir);
            if (stale > 0) log.info("removed {} partial downloads left by the last run", stale);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + imagesDir, e);
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (SUBMIT_STEP.equals(stepExecution.getStepName())) control.markSubmitFinished();
        return null;
    }
}
