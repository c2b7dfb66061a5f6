package dev.zbatch.job;

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
 * Starts the run's job, or resumes it: the job instance is identified by the run key alone (no incrementer), so
 * the same command again restarts the same instance from its last checkpoint. An execution left STARTED by a
 * killed process is recovered first.
 */
@Component
public class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job job;
    private final RunPaths paths;

    JobRunner(JobOperator jobOperator, JobRepository jobRepository, Job job, RunPaths paths) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.job = job;
        this.paths = paths;
    }

    public JobOutcome run() throws Exception {
        JobParameters parameters = new JobParametersBuilder().addString("run", paths.runKey()).toJobParameters();
        JobExecution last = jobRepository.getLastJobExecution(BatchConfiguration.JOB_NAME, parameters);
        if (last != null && last.getStatus().isRunning()) {
            log.info("the last run (execution {}) did not stop cleanly; recovering it", last.getId());
            jobOperator.recover(last);
        }
        try {
            JobExecution execution = jobOperator.start(job, parameters);
            return new JobOutcome(execution.getStatus(), false, execution.getAllFailureExceptions());
        } catch (JobInstanceAlreadyCompleteException e) {
            return new JobOutcome(BatchStatus.COMPLETED, true, List.of());
        }
    }
}
