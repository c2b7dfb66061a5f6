package dev.zbatch.job;

import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.RowState;
import dev.zbatch.ledger.RunInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Starts the run's job, or resumes it: the job instance is identified by the run key and the pass (no
 * incrementer), so the same command again restarts the same instance from its last checkpoint. An execution
 * left STARTED by a killed process is recovered first. When the pass finished but rows were SKIPPED (the
 * budget cap), they are set PENDING again and a new pass over the input sends them.
 */
@Component
public class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job job;
    private final RunPaths paths;
    private final Ledger ledger;
    private final RunInfo run;
    private final UnknownPolicy onUnknown;

    JobRunner(JobOperator jobOperator, JobRepository jobRepository, Job job, RunPaths paths, Ledger ledger,
              RunInfo run, ZbatchProperties properties) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.job = job;
        this.paths = paths;
        this.ledger = ledger;
        this.run = run;
        this.onUnknown = UnknownPolicy.of(properties.submit().onUnknown());
    }

    private JobParameters parameters(int pass) {
        JobParametersBuilder builder = new JobParametersBuilder().addString("run", paths.runKey());
        builder.addLong("pass", (long) pass);
        return builder.toJobParameters();
    }

    /** @param sendAgain rows in these states are set PENDING first ({@code retry --failed} and the like) */
    public JobOutcome run(Set<RowState> sendAgain) throws Exception {
        long runId = run.runId();
        JobParameters parameters = parameters(ledger.pass(runId));
        JobExecution last = jobRepository.getLastJobExecution(BatchConfiguration.JOB_NAME, parameters);
        if (last != null && last.getStatus().isRunning()) {
            log.info("the last run (execution {}) did not stop cleanly; recovering it", last.getId());
            jobOperator.recover(last);
        }
        int unknown = ledger.markInterruptedSubmissionsUnknown(runId);
        if (unknown > 0) {
            log.warn("{} rows were being sent when the last run stopped: they are UNKNOWN (the provider may have "
                    + "accepted them)", unknown);
        }
        Set<RowState> requeue = EnumSet.noneOf(RowState.class);
        requeue.addAll(sendAgain);
        if (onUnknown == UnknownPolicy.RESUBMIT) requeue.add(RowState.UNKNOWN);
        int requeued = ledger.requeue(runId, requeue);
        if (requeued > 0) log.info("{} rows ({}) will be sent again", requeued, requeue);
        if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
            int unskipped = ledger.unskip(runId);
            if (unskipped + requeued == 0 && ledger.countInState(runId, RowState.PENDING) == 0) {
                return new JobOutcome(BatchStatus.COMPLETED, true, List.of());
            }
            int pass = ledger.nextPass(runId);
            log.info("pass {} over the input sends {} skipped and {} requeued rows", pass, unskipped, requeued);
            parameters = parameters(pass);
        }
        try {
            JobExecution execution = jobOperator.start(job, parameters);
            return new JobOutcome(execution.getStatus(), false, execution.getAllFailureExceptions());
        } catch (JobInstanceAlreadyCompleteException e) {
            return new JobOutcome(BatchStatus.COMPLETED, true, List.of());
        }
    }
}
