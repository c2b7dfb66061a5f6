package dev.zbatch.job;

import dev.zbatch.run.RunPaths;
import com.zaxxer.hikari.HikariDataSource;
import dev.zbatch.cache.ContentCache;
import dev.zbatch.collect.CachedImages;
import dev.zbatch.collect.CollectLoop;
import dev.zbatch.collect.ImageDownloads;
import dev.zbatch.collect.DuplicateCopies;
import dev.zbatch.run.PollAlarm;
import dev.zbatch.collect.RowCollector;
import dev.zbatch.collect.metadata.MetadataEmbedder;
import dev.zbatch.config.ConfigException;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.run.RunControl;
import dev.zbatch.cost.AccountShares;
import dev.zbatch.cost.Pace;
import dev.zbatch.cost.Price;
import dev.zbatch.cost.PriceTable;
import dev.zbatch.input.InputFiles;
import dev.zbatch.input.InputRows;
import dev.zbatch.input.RowSource;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.LedgerDatabase;
import dev.zbatch.ledger.LedgerHousekeeping;
import dev.zbatch.ledger.LedgerServer;
import dev.zbatch.ledger.RunInfo;
import dev.zbatch.output.FileNames;
import dev.zbatch.output.NameTemplate;
import dev.zbatch.provider.registry.AccountSettings;
import dev.zbatch.provider.registry.ProviderFactory;
import dev.zbatch.provider.registry.ProviderHandle;
import dev.zbatch.provider.registry.ProviderKind;
import dev.zbatch.provider.account.Account;
import dev.zbatch.reconcile.DeltaAnnouncer;
import dev.zbatch.reconcile.LedgerEntries;
import dev.zbatch.request.RequestBuilder;
import dev.zbatch.request.RoundedSizes;
import dev.zbatch.run.Budget;
import dev.zbatch.run.InFlightWindow;
import dev.zbatch.run.Retry;
import dev.zbatch.submit.SubmitWriter;
import dev.zbatch.submit.InFlightRows;
import dev.zbatch.submit.Submitter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** The parts of one run, built from the {@code zbatch.*} properties. */
@Configuration
@EnableConfigurationProperties(ZbatchProperties.class)
class RunConfiguration {

    /**
     * A submission that certainly did not reach the provider (TRANSIENT: no connection, a timeout before it was
     * sent) is tried again with backoff from 1 s up to 30 s, six times in all; then the run stops, resumably.
     */
    private static final Retry SUBMIT_RETRY = new Retry(6, Duration.ofSeconds(1), Duration.ofSeconds(30));

    /** Also checks the input before anything else is created: it opens, and it has the columns prompts need. */
    @Bean
    RunPaths runPaths(ZbatchProperties properties, RequestBuilder requests) {
        RunPaths paths = RunPaths.from(properties);
        try (RowSource source = InputFiles.open(paths.input(), paths.inputOptions())) {
            InputRows.requireColumns(source, paths.input(), requests.requiredColumns());
        }
        return paths;
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(RunPaths paths) {
        return LedgerDatabase.open(paths.ledgerDir());
    }

    @Bean(destroyMethod = "close")
    LedgerHousekeeping ledgerHousekeeping(HikariDataSource dataSource) {
        return LedgerHousekeeping.start(dataSource);
    }

    /** Lets {@code status} in another process read the ledger while this run holds it (so it opens it first). */
    @Bean(destroyMethod = "close")
    @DependsOn("dataSource")
    LedgerServer ledgerServer(RunPaths paths) {
        return LedgerServer.start(paths.ledgerDir());
    }

    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Ledger ledger(DataSource dataSource, Clock clock, RunPaths paths, ZbatchProperties properties) {
        return Ledger.openRun(dataSource, clock, paths.jobName(), paths.input().toString(), properties.provider().id(),
                properties.model());
    }

    @Bean(destroyMethod = "close")
    ProviderHandle provider(ZbatchProperties properties, RunPaths paths, Ledger ledger, Price price,
                            RunControl control, PollAlarm pollAlarm, Clock clock) {
        requireAccountsInFlight(ledger, properties);
        ProviderHandle handle = ProviderFactory.create(properties, paths.ledgerDir(), price.usdPerImage(),
                requestId -> {
                    ledger.pollNow(requestId); // a webhook's news: collect it now
                    pollAlarm.dueAt(clock.instant());
                });
        handle.accounts().whenTakenOut(ledger::accountTakenOut);
        for (Account account : handle.accounts().all()) {
            // a 429 pause can last an hour: a run told to stop does not sit it out
            account.provider().giveUpWaitingWhen(control::submittingStopped, control::halted);
        }
        return handle;
    }

    /**
     * A request in flight is collected only at the account that took it: polled anywhere else it would look
     * unknown, and be sent again and paid twice.
     */
    private static void requireAccountsInFlight(Ledger ledger, ZbatchProperties properties) {
        Set<String> configured = new HashSet<>();
        for (AccountSettings account : AccountSettings.of(properties)) configured.add(account.name());
        for (String account : ledger.accountsInFlight()) {
            if (!configured.contains(account)) {
                throw new ConfigException("requests of this run are in flight at account " + account + ", which "
                        + "the job spec no longer lists: add zbatch.accounts." + account + " back until they are "
                        + "collected (nothing was sent)");
            }
        }
    }

    @Bean
    RunInfo run(Ledger ledger) {
        return ledger.run();
    }

    /** Rows whose size the model will probably round, counted while the input is reconciled. */
    @Bean
    RoundedSizes roundedSizes(ZbatchProperties properties) {
        return new RoundedSizes(ProviderKind.spec(properties));
    }

    @Bean
    RequestBuilder requestBuilder(ZbatchProperties properties) {
        return RequestBuilder.of(ProviderKind.spec(properties), properties);
    }

    @Bean
    RunControl runControl() {
        return new RunControl();
    }

    @Bean
    InFlightWindow inFlightWindow(ZbatchProperties properties, Ledger ledger) {
        return new InFlightWindow(Pace.window(properties), () -> ledger.countInFlight());
    }

    /** What an image costs at an account that names no price of its own. */
    @Bean
    Price price(ZbatchProperties properties) {
        return PriceTable.priceOf(properties);
    }

    /** How the rows split over the accounts, and the price an image then costs on average (for what is said). */
    @Bean
    AccountShares accountShares(ZbatchProperties properties, Price price) {
        return AccountShares.of(properties, price);
    }

    /** The cap against what the ledger says is committed when the run starts (earlier runs included). */
    @Bean
    Budget budget(ZbatchProperties properties, Ledger ledger) {
        return new Budget(properties.budget().maxCost(), ledger.committedSpend());
    }

    @Bean
    PollAlarm pollAlarm(Clock clock) {
        return new PollAlarm(clock);
    }

    @Bean
    InFlightRows inFlightRows(Ledger ledger, Budget budget, InFlightWindow window, PollAlarm pollAlarm) {
        return new InFlightRows(ledger, budget, window, pollAlarm);
    }

    @Bean
    Submitter submitter(ZbatchProperties properties, InFlightRows rows, ProviderHandle provider, RunControl control,
                        Price price, Clock clock) {
        return new Submitter(rows, provider.accounts(), properties.model(), control, SUBMIT_RETRY,
                provider.pollSchedule(), price, clock);
    }

    @Bean(destroyMethod = "shutdown")
    ExecutorService senders(ZbatchProperties properties) {
        return Executors.newFixedThreadPool(Math.max(1, properties.submit().concurrency()),
                new CustomizableThreadFactory("zbatch-submit-")); // named: bench's CPU by part
    }

    @Bean
    SubmitWriter submitWriter(Submitter submitter, ExecutorService senders, RunControl control) {
        return new SubmitWriter(submitter, senders, control);
    }

    @Bean
    LedgerEntries ledgerEntries(ZbatchProperties properties, RunInfo run) {
        return new LedgerEntries(run.provider(), run.model(), fileStems(properties.output().nameTemplate()));
    }

    @Bean
    DeltaAnnouncer deltaAnnouncer() {
        return new DeltaAnnouncer();
    }

    @Bean
    MetadataEmbedder metadataEmbedder(ZbatchProperties properties) {
        return new MetadataEmbedder(properties.output().embedMetadata());
    }

    /** The content cache, as this run serves from it and fills it (does nothing without zbatch.cache.dir). */
    @Bean
    CachedImages cachedImages(ZbatchProperties properties, Ledger ledger, RunPaths paths, MetadataEmbedder metadata) {
        Path dir = properties.cache().dir();
        return new CachedImages(dir == null ? null : new ContentCache(dir), ledger, paths.outputDir(),
                "job " + paths.jobName() + " in " + paths.outputDir().toAbsolutePath(), metadata);
    }

    @Bean(destroyMethod = "close")
    CollectLoop collectLoop(ZbatchProperties properties, Ledger ledger, InFlightRows inFlightRows,
                            ProviderHandle provider, Submitter submitter, Price price, RunPaths paths,
                            RunControl control, PollAlarm pollAlarm, Clock clock, MetadataEmbedder metadata,
                            CachedImages cached) {
        ZbatchProperties.Collect c = properties.collect();
        ImageDownloads downloads = new ImageDownloads(ledger, paths.outputDir(), control,
                new Retry(c.downloadAttempts(), Duration.ofMillis(500), Duration.ofSeconds(10)), metadata,
                c.onMismatch() == ZbatchProperties.OnMismatch.FAIL);
        RowCollector rows = new RowCollector(inFlightRows, provider.accounts(), submitter, downloads, cached,
                control, provider.pollSchedule(), price, properties.submit().maxAttempts(), clock);
        return new CollectLoop(ledger, rows, new DuplicateCopies(ledger, paths.outputDir(), metadata), control,
                c.threads(), clock, pollAlarm);
    }

    /** The file name stem of a row: the configured template, or {id} / {line}-{slug} by default. */
    private static Function<dev.zbatch.request.RowPlan, String> fileStems(String template) {
        NameTemplate configured = template == null || template.isBlank() ? null : new NameTemplate(template);
        return plan -> {
            NameTemplate t = configured != null ? configured : NameTemplate.defaultFor(plan.id() != null);
            return FileNames.sanitize(t.render(plan.row().rowNo(), plan.row().line(), plan.id(), plan.prompt(),
                    plan.row().fields()));
        };
    }
}
