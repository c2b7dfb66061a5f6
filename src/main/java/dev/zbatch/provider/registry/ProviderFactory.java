package dev.zbatch.provider.registry;

import dev.zbatch.provider.ImageProvider;
import dev.zbatch.provider.account.Account;
import dev.zbatch.provider.account.Accounts;
import dev.zbatch.run.FirstPollDelay;
import dev.zbatch.run.PollSchedule;
import dev.zbatch.config.ConfigException;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.provider.pacing.CallPacer;
import dev.zbatch.provider.pacing.PacedProvider;
import dev.zbatch.provider.pacing.RateLimits;
import dev.zbatch.provider.pixazo.PixazoProvider;
import dev.zbatch.provider.pixazo.PixazoSettings;
import dev.zbatch.provider.pixazo.PixazoWebhookReceiver;
import dev.zbatch.provider.sandbox.CurrentSandboxAddress;
import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.provider.segmind.SegmindAsyncProvider;
import dev.zbatch.provider.segmind.SegmindSettings;
import dev.zbatch.provider.segmind.SegmindSyncProvider;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Builds the provider a run names: {@code segmind} (async v2, or sync v1 with
 * {@code zbatch.providers.segmind.mode=sync}), {@code pixazo} (optionally with webhooks), or {@code sandbox}, the
 * default: the embedded loopback server, spoken to with the real adapter of {@code zbatch.sandbox.api} over HTTP;
 * it needs no key and no network.
 */
public final class ProviderFactory {

    private static final int MAX_CONNECTIONS = 16;

    /**
     * First polls aim to find all but 1 in 10,000 requests done: one status call per image. Waiting longer costs a
     * batch nothing while the in-flight window has room; once it is three quarters full they aim at 90 %, so that
     * rows leave the window sooner and submissions keep the full rate.
     */
    private static final double FIRST_POLL_QUANTILE = 0.9999;
    private static final double HURRIED_FIRST_POLL_QUANTILE = 0.9;

    private ProviderFactory() {
    }

    /**
     * @param runPrice          USD per image for accounts that name no price (to rank the accounts by price)
     * @param onWebhookDelivery told the request id of each accepted webhook delivery
     */
    public static ProviderHandle create(ZbatchProperties properties, Path ledgerDir, BigDecimal runPrice,
                                       Consumer<String> onWebhookDelivery) {
        return create(properties, ledgerDir, runPrice, onWebhookDelivery, System::getenv);
    }

    static ProviderHandle create(ZbatchProperties properties, Path ledgerDir, BigDecimal runPrice,
                                 Consumer<String> onWebhookDelivery, Function<String, String> environment) {
        List<AutoCloseable> owned = new ArrayList<>();
        List<Account> accounts = new ArrayList<>();
        try {
            List<AccountSettings> configured = AccountSettings.of(properties);
            boolean named = !properties.accounts().isEmpty();
            Webhooks webhooks = webhooks(properties, onWebhookDelivery, owned);
            for (AccountSettings a : configured) {
                // a named account's files beside the ledger are its own: sandbox-<name>, spool-<name>
                String files = named ? "-" + a.name() : "";
                ImageProvider adapter = switch (a.provider()) {
                    case SANDBOX -> sandbox(properties, a, files, configured.size() > 1, ledgerDir, webhooks, owned);
                    case SEGMIND -> segmind(properties, ledgerDir.resolve("spool" + files), a.baseUrl(),
                            key(environment, a, properties));
                    case PIXAZO -> pixazo(properties, a.baseUrl(), key(environment, a, properties), webhooks);
                };
                accounts.add(new Account(a.name(), paced(adapter, a.limits()), a.keyVariable(), a.price(),
                        a.priority()));
            }
            return new ProviderHandle(new Accounts(accounts, runPrice), webhooks.schedule(), owned);
        } catch (RuntimeException e) {
            for (Account account : accounts) account.provider().close();
            closeAll(owned);
            throw e;
        }
    }

    /** Pixazo's webhook endpoint, one for all the run's accounts; none unless the run speaks Pixazo and asks. */
    private record Webhooks(PixazoWebhookReceiver receiver, URI callback, PollSchedule schedule) {
    }

    private static Webhooks webhooks(ZbatchProperties properties, Consumer<String> onDelivery,
                                     List<AutoCloseable> owned) {
        ZbatchProperties.Webhook webhook = properties.providers().pixazo().webhook();
        if (ProviderKind.of(properties) != ProviderKind.PIXAZO || webhook.publicUrl() == null) {
            return new Webhooks(null, null, polling(properties));
        }
        PixazoWebhookReceiver receiver = PixazoWebhookReceiver.start(webhook.bindAddress(), webhook.port(),
                onDelivery);
        owned.add(receiver);
        // deliveries make a row due at once; polling stays on, slowly, so a lost delivery strands nothing
        Duration fallback = webhook.fallbackPollInterval();
        return new Webhooks(receiver, receiver.callbackUrl(webhook.publicUrl()),
                new PollSchedule(FirstPollDelay.fixed(fallback), fallback, fallback, 1.0));
    }

    /**
     * A sandbox server of the account's own, at its limit, spoken to with the adapter of {@code zbatch.sandbox.api}.
     *
     * @param files  what the account's folders beside the ledger end with
     * @param shared several sandbox accounts: each listens on a free port
     */
    private static ImageProvider sandbox(ZbatchProperties properties, AccountSettings account, String files,
                                         boolean shared, Path ledgerDir, Webhooks webhooks,
                                         List<AutoCloseable> owned) {
        ZbatchProperties.Sandbox s = properties.sandbox();
        SandboxServer server = SandboxServer.start(withFaults(SandboxSettings.defaults()
                .withPort(shared ? 0 : s.port())
                .withLatency(s.minLatency(), s.maxLatency())
                .withFailureRate(s.failureRate())
                .withErrorRate(s.errorRate())
                .withWebhookRepeats(s.webhookRepeats())
                .withCredits(s.credits())
                .withServerErrorRate(s.faults().serverErrorRate())
                .withDropAfterAccept(s.faults().dropAfterAccept())
                .withTruncateDownloadRate(s.faults().truncateDownloadRate())
                .withRetention(s.faults().retention())
                // zbatch keeps to the sandbox's limit, as it would to a real provider's
                .withSubmitsPerMinute(account.limits().submitsPerMinute())
                .withOutOfCreditsAfter(account.sandbox().outOfCreditsAfter())
                .withRefuseKeys(account.sandbox().refuseKey())
                .withStateDir(ledgerDir.resolve("sandbox" + files))
                .withRequireApiKey(true), s.faults()));
        owned.add(server);
        ImageProvider adapter = switch (s.api()) {
            case SEGMIND -> segmind(properties, ledgerDir.resolve("spool" + files), server.baseUrl(), "sandbox");
            case PIXAZO -> pixazo(properties, server.baseUrl(), "sandbox", webhooks);
        };
        return new CurrentSandboxAddress(adapter, server.baseUrl());
    }

    /** The faults that are off unless both of their settings say otherwise. */
    private static SandboxSettings withFaults(SandboxSettings settings, ZbatchProperties.SandboxFaults faults) {
        if (faults.rateLimitBurstEvery() > 0) {
            settings = settings.withRateLimitBurst(faults.rateLimitBurstEvery(), faults.rateLimitBurstLength());
        }
        if (!faults.slowAnswer().isZero() && !faults.slowAnswer().isNegative() && faults.slowAnswerRate() > 0) {
            settings = settings.withSlowAnswer(faults.slowAnswer(), faults.slowAnswerRate());
        }
        if (faults.roundSizesTo() > 0 || faults.answerFormat() != null) {
            settings = settings.withLiberties(faults.roundSizesTo(), faults.answerFormat());
        }
        return settings;
    }

    private static ImageProvider segmind(ZbatchProperties properties, Path spool, URI baseUrl, String key) {
        ZbatchProperties.Segmind segmind = properties.providers().segmind();
        SegmindSettings settings = new SegmindSettings(baseUrl, key, segmind.connectTimeout(),
                segmind.responseTimeout(), MAX_CONNECTIONS);
        return switch (segmind.mode()) {
            case ASYNC -> new SegmindAsyncProvider(settings);
            case SYNC -> new SegmindSyncProvider(settings, spool);
        };
    }

    private static ImageProvider pixazo(ZbatchProperties properties, URI baseUrl, String key, Webhooks webhooks) {
        ZbatchProperties.Pixazo pixazo = properties.providers().pixazo();
        return new PixazoProvider(new PixazoSettings(baseUrl, key, pixazo.connectTimeout(),
                pixazo.responseTimeout(), MAX_CONNECTIONS, webhooks.callback()), webhooks.receiver());
    }

    /** Every call goes through one pacer: the limiter, not the HTTP client, sets the pace. */
    private static PacedProvider paced(ImageProvider provider, RateLimits limits) {
        return new PacedProvider(provider, new CallPacer(limits));
    }

    private static PollSchedule polling(ZbatchProperties properties) {
        ZbatchProperties.Collect c = properties.collect();
        FirstPollDelay first = c.learnFirstPoll()
                ? new FirstPollDelay(c.firstPollDelay(), FIRST_POLL_QUANTILE, HURRIED_FIRST_POLL_QUANTILE, 0.25,
                        c.maxPollInterval())
                : FirstPollDelay.fixed(c.firstPollDelay());
        return new PollSchedule(first, c.pollInterval(), c.maxPollInterval(), c.pollBackoff());
    }

    /**
     * The account's key from its environment variable; for an account reading its provider's own variable, else
     * from {@code zbatch.providers.<provider>.api-key}.
     */
    private static String key(Function<String, String> environment, AccountSettings account,
                              ZbatchProperties properties) {
        String variable = account.keyVariable();
        String fromEnvironment = environment.apply(variable);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) return fromEnvironment.trim();
        String configured = switch (account.provider()) {
            case SEGMIND -> properties.providers().segmind().apiKey();
            case PIXAZO -> properties.providers().pixazo().apiKey();
            case SANDBOX -> null;
        };
        boolean providersOwn = variable.equals(ProviderKind.of(properties).keyVariable());
        if (providersOwn && configured != null && !configured.isBlank()) return configured.trim();
        throw new ConfigException(variable + " is not set: export " + variable + "=<your key>"
                + (account.name().equals(account.provider().id()) ? "" : " (the key of account " + account.name()
                + ")") + " (nothing was sent)");
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // already failing: the first error is the one to report
            }
        }
    }
}
