package dev.zbatch.job;

import dev.zbatch.run.RunPaths;
import dev.zbatch.collect.CachedImages;
import dev.zbatch.collect.CollectLoop;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.run.RunControl;
import dev.zbatch.cost.AccountShares;
import dev.zbatch.input.InputRow;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.PendingRow;
import dev.zbatch.reconcile.DeltaAnnouncer;
import dev.zbatch.reconcile.LedgerEntries;
import dev.zbatch.request.RequestBuilder;
import dev.zbatch.request.RoundedSizes;
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
 * The job: reconcile the input with the ledger, then submit and collect side by side (a split flow), then finish.
 * <pre>
 *   reconcile: read rows → build requests → match by key (chunked)
 *   settle   : mark removed keys, give changed rows new versions (or hold a mass change) → say the delta
 *   cache    : PENDING fixed-seed rows whose request is in zbatch.cache.dir get its images (nothing sent)
 *     ┌ submit : PENDING rows of the input, from the ledger → send (chunked) ┐
 *     └ collect: poll what is in flight, download, verify, write             ┘ → finish: manifests
 * </pre>
 * Each command is a new pass (a job instance of its own, JobRunner): it reads the whole input again, and the
 * ledger, not a position in the file, says what is done.
 */
@Configuration
@EnableBatchProcessing
@EnableJdbcJobRepository
class BatchConfiguration {

    static final String JOB_NAME = "zbatch";

    @Bean
    Job zbatchJob(JobRepository jobRepository, Step reconcileStep, Step settleStep, Step cacheStep,
                  Step submitStep, Step collectStep, Step finishStep, RunLifecycleListener lifecycle) {
        Flow submitFlow = new FlowBuilder<SimpleFlow>("submitFlow").start(submitStep).build();
        Flow collectFlow = new FlowBuilder<SimpleFlow>("collectFlow").start(collectStep).build();
        Flow sideBySide = new FlowBuilder<SimpleFlow>("submitAndCollect")
                .split(new SimpleAsyncTaskExecutor("zbatch-step-"))
                .add(submitFlow, collectFlow)
                .build();
        Flow pass = new FlowBuilder<SimpleFlow>("pass")
                .start(reconcileStep)
                .next(settleStep)
                .next(cacheStep)
                .next(sideBySide)
                .next(finishStep)
                .build();
        return new JobBuilder(JOB_NAME, jobRepository)
                .listener(lifecycle)
                .start(pass)
                .end()
                .build();
    }

    @Bean
    Step reconcileStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                       ZbatchProperties properties, RunPaths paths, RequestBuilder requestBuilder,
                       RoundedSizes roundedSizes, ReconcileWriter writer, Ledger ledger) {
        InputRowItemReader reader = new InputRowItemReader(paths.input(), paths.inputOptions(),
                rows -> ledger.recordRowsRead(rows));
        return new StepBuilder(RunLifecycleListener.RECONCILE_STEP, jobRepository)
                .<InputRow, RowPlan>chunk(RECONCILE_CHUNK)
                .transactionManager(transactionManager)
                .reader(reader)
                .processor(row -> {
                    RowPlan plan = requestBuilder.plan(row);
                    roundedSizes.note(plan);
                    return plan;
                })
                .writer(writer)
                .listener(writer)
                .build();
    }

    /** Rows reconciled per ledger transaction: one look-up of their keys each. */
    private static final int RECONCILE_CHUNK = 500;

    @Bean
    ReconcileWriter reconcileWriter(Ledger ledger, LedgerEntries entries) {
        return new ReconcileWriter(ledger, entries);
    }

    @Bean
    Step settleStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                    ReconcileWriter reconcile, Ledger ledger, ZbatchProperties properties,
                    RunControl control, DeltaAnnouncer announcer, AccountShares accounts) {
        return new StepBuilder("settle", jobRepository)
                .tasklet(new SettleTasklet(reconcile, ledger, properties.input().acceptChanges(),
                        control, announcer, accounts.price()), transactionManager)
                .build();
    }

    @Bean
    Step cacheStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                   CachedImages cached, Ledger ledger, RunControl control) {
        return new StepBuilder("cache", jobRepository)
                .tasklet(new CacheTasklet(cached, ledger, control), transactionManager)
                .build();
    }

    @Bean
    Step submitStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                    ZbatchProperties properties, SubmitWriter writer, Ledger ledger,
                    RunLifecycleListener lifecycle) {
        return new StepBuilder(RunLifecycleListener.SUBMIT_STEP, jobRepository)
                .<PendingRow, PendingRow>chunk(properties.submit().chunkSize())
                .transactionManager(transactionManager)
                .reader(new PendingRowReader(ledger))
                .writer(writer)
                .listener(lifecycle)
                .build();
    }

    @Bean
    Step collectStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                     CollectLoop collector, RunControl control) {
        return new StepBuilder("collect", jobRepository)
                .tasklet(new CollectTasklet(collector, control), transactionManager)
                .allowStartIfComplete(true) // each run collects what earlier runs left in flight
                .build();
    }

    @Bean
    Step finishStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, Ledger ledger,
                    RunPaths paths) {
        return new StepBuilder("finish", jobRepository)
                .tasklet(new FinishTasklet(ledger, paths.outputDir()), transactionManager)
                .allowStartIfComplete(true)
                .build();
    }

    @Bean
    RunLifecycleListener runLifecycleListener(RunPaths paths, RunControl control) {
        return new RunLifecycleListener(paths.imagesDir(), control);
    }
}
