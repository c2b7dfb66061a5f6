package dev.zbatch.job;

import dev.zbatch.collect.Collector;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.control.RunControl;
import dev.zbatch.input.InputRow;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.RunInfo;
import dev.zbatch.request.RequestBuilder;
import dev.zbatch.request.RowPlan;
import dev.zbatch.submit.SubmitWriter;
import org.springframework.batch.core.configuration.annotation.EnableBatchProcessing;
import org.springframework.batch.core.configuration.annotation.EnableJdbcJobRepository;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.Flow;
import org.springframework.batch.core.job.flow.support.SimpleFlow;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The job: submit and collect side by side (a split flow), then finish.
 * <pre>
 *   ┌ submit : read rows → build requests → enter in ledger, send (chunked) ┐
 *   └ collect: poll what is in flight, download, verify, write             ┘ → finish: manifests
 * </pre>
 * No incrementer: the same job on the same input is the same job instance, so running it again resumes.
 */
@Configuration
@EnableBatchProcessing
@EnableJdbcJobRepository
class BatchConfiguration {

    static final String JOB_NAME = "zbatch";

    @Bean
    Job zbatchJob(JobRepository jobRepository, Step submitStep, Step collectStep, Step finishStep,
                  RunLifecycleListener lifecycle) {
        Flow submitFlow = new FlowBuilder<SimpleFlow>("submitFlow").start(submitStep).build();
        Flow collectFlow = new FlowBuilder<SimpleFlow>("collectFlow").start(collectStep).build();
        Flow sideBySide = new FlowBuilder<SimpleFlow>("submitAndCollect")
                .split(new SimpleAsyncTaskExecutor("zbatch-step-"))
                .add(submitFlow, collectFlow)
                .build();
        return new JobBuilder(JOB_NAME, jobRepository)
                .listener(lifecycle)
                .start(sideBySide)
                .next(finishStep)
                .end()
                .build();
    }

    @Bean
    Step submitStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                    ZbatchProperties properties, RunPaths paths, RequestBuilder requestBuilder, SubmitWriter writer,
                    Ledger ledger, RunInfo run, RunLifecycleListener lifecycle) {
        InputRowItemReader reader = new InputRowItemReader(paths.input(), paths.format(),
                rows -> ledger.recordRowsRead(run.runId(), rows));
        return new StepBuilder(RunLifecycleListener.SUBMIT_STEP, jobRepository)
                .<InputRow, RowPlan>chunk(properties.submit().chunkSize())
                .transactionManager(transactionManager)
                .reader(reader)
                .processor(requestBuilder::plan)
                .writer(writer)
                .listener(lifecycle)
                .build();
    }

    @Bean
    Step collectStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                     Collector collector, RunControl control) {
        return new StepBuilder("collect", jobRepository)
                .tasklet(new CollectTasklet(collector, control), transactionManager)
                .allowStartIfComplete(true) // each run collects what earlier runs left in flight
                .build();
    }

    @Bean
    Step finishStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, Ledger ledger,
                    RunInfo run, RunPaths paths) {
        return new StepBuilder("finish", jobRepository)
                .tasklet(new FinishTasklet(ledger, run.runId(), paths.outputDir()), transactionManager)
                .allowStartIfComplete(true)
                .build();
    }

    @Bean
    RunLifecycleListener runLifecycleListener(RunPaths paths, RunControl control, JobRepository jobRepository) {
        return new RunLifecycleListener(paths.imagesDir(), control, jobRepository);
    }
}
