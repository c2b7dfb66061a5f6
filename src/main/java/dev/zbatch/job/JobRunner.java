package dev.zbatch.job;

import dev.zbatch.run.RunPaths;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.RowState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

import java.util.EnumSet;
import java.util.Set;

/**
 * Starts the run's next pass: every command reads the whole input again and reconciles it with the ledger, so each
 * pass is a job instance of its own (identified by the job's name and the pass, no incrementer). An execution left
 * STARTED by a killed process is recovered first; rows it left SUBMITTING become UNKNOWN, and rows SKIPPED for the
 * budget are PENDING again (the cap may have been raised).
 */
@Component
public class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job job;
    private final RunPaths paths;
    private final Ledger ledger;
    private final ZbatchProperties.OnUnknown onUnknown;

    JobRunner(JobOperator jobOperator, JobRepository jobRepository, Job job, RunPaths paths, Ledger ledger,
              ZbatchProperties properties) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.job = job;
        this.paths = paths;
        this.ledger = ledger;
        this.onUnknown = properties.submit().onUnknown();
    }

    private JobParameters parameters(int pass) {
        return new JobParametersBuilder().addString("run", paths.jobName()).addLong("pass", (long) pass)
                .toJobParameters();
    }

    /** @param sendAgain rows in these states are set PENDING first ({@code retry --failed} and the like) */
    public JobOutcome run(Set<RowState> sendAgain) throws Exception {
        JobExecution last = jobRepository.getLastJobExecution(BatchConfiguration.JOB_NAME,
                parameters(ledger.pass()));
        if (last != null && last.getStatus().isRunning()) {
            log.info("the last run (execution {}) did not stop cleanly; recovering it", last.getId());
            jobOperator.recover(last);
        }
        int unknown = ledger.markInterruptedSubmissionsUnknown();
        if (unknown > 0) {
            log.warn("{} rows were being sent when the last run stopped: they are UNKNOWN (the provider may have "
                    + "accepted them)", unknown);
        }
        Set<RowState> requeue = EnumSet.noneOf(RowState.class);
        requeue.addAll(sendAgain);
        if (onUnknown == ZbatchProperties.OnUnknown.RESUBMIT) requeue.add(RowState.UNKNOWN);
        int requeued = ledger.requeue(requeue);
        if (requeued > 0) log.info("{} rows ({}) will be sent again", requeued, requeue);
        int unskipped = ledger.unskip();
        if (unskipped > 0) log.info("{} rows skipped for the budget before will be sent if it allows", unskipped);
        int pass = last == null ? ledger.pass() : ledger.nextPass();
        JobExecution execution = jobOperator.start(job, parameters(pass));
        return new JobOutcome(execution.getStatus(), execution.getAllFailureExceptions());
    }
}
