package dev.zbatch.job;

import dev.zbatch.ledger.Ledger;
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

import java.util.List;

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

    JobRunner(JobOperator jobOperator, JobRepository jobRepository, Job job, RunPaths paths, Ledger ledger,
              RunInfo run) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.job = job;
        this.paths = paths;
        this.ledger = ledger;
        this.run = run;
    }

    private JobParameters parameters(int pass) {
        JobParametersBuilder builder = new JobParametersBuilder().addString("run", paths.runKey());
        builder.addLong("pass", (long) pass);
        return builder.toJobParameters();
    }

    public JobOutcome run() throws Exception {
        JobParameters parameters = parameters(ledger.pass(run.runId()));
        JobExecution last = jobRepository.getLastJobExecution(BatchConfiguration.JOB_NAME, parameters);
        if (last != null && last.getStatus().isRunning()) {
            log.info("the last run (execution {}) did not stop cleanly; recovering it", last.getId());
            jobOperator.recover(last);
        }
        if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
            int unskipped = ledger.unskip(run.runId());
            if (unskipped == 0) return new JobOutcome(BatchStatus.COMPLETED, true, List.of());
            int pass = ledger.nextPass(run.runId());
            log.info("{} rows were skipped for the budget; pass {} sends them", unskipped, pass);
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
