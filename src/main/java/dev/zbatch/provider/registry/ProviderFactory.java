package dev.zbatch.provider.registry;

import dev.zbatch.provider.ImageProvider;
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

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

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

    /** @param onWebhookDelivery told the request id of each accepted webhook delivery */
    public static ProviderHandle create(ZbatchProperties properties, Path ledgerDir,
                                       Consumer<String> onWebhookDelivery) {
        return create(properties, ledgerDir, onWebhookDelivery, System::getenv);
    }

    static ProviderHandle create(ZbatchProperties properties, Path ledgerDir, Consumer<String> onWebhookDelivery,
                                 Function<String, String> environment) {
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            return switch (properties.provider()) {
                case SANDBOX -> sandbox(properties, ledgerDir, onWebhookDelivery, owned);
                case SEGMIND -> segmind(properties, ledgerDir, properties.providers().segmind().baseUrl(),
                        key(environment, ProviderKind.SEGMIND, properties.providers().segmind().apiKey()),
                        ProviderKind.runLimits(properties), UnaryOperator.identity(), owned);
                case PIXAZO -> pixazo(properties, properties.providers().pixazo().baseUrl(),
                        key(environment, ProviderKind.PIXAZO, properties.providers().pixazo().apiKey()),
                        ProviderKind.runLimits(properties), UnaryOperator.identity(), onWebhookDelivery,
                        owned);
            };
        } catch (RuntimeException e) {
            closeAll(owned);
            throw e;
        }
    }

    private static ProviderHandle sandbox(ZbatchProperties properties, Path ledgerDir, Consumer<String> onDelivery,
                                          List<AutoCloseable> owned) {
        ZbatchProperties.Sandbox s = properties.sandbox();
        SandboxServer server = SandboxServer.start(withFaults(SandboxSettings.defaults()
                .withPort(s.port())
                .withLatency(s.minLatency(), s.maxLatency())
                .withFailureRate(s.failureRate())
                .withErrorRate(s.errorRate())
                .withWebhookRepeats(s.webhookRepeats())
                .withCredits(s.credits())
                .withServerErrorRate(s.faults().serverErrorRate())
                .withDropAfterAccept(s.faults().dropAfterAccept())
                .withTruncateDownloadRate(s.faults().truncateDownloadRate())
                .withRetention(s.faults().retention())
                .withSubmitsPerMinute(s.submitsPerMinute())
                .withStateDir(ledgerDir.resolve("sandbox"))
                .withRequireApiKey(true), s.faults()));
        owned.add(server);
        // zbatch keeps to the sandbox's own limit, as it would to a real provider's
        RateLimits limits = ProviderKind.runLimits(properties);
        UnaryOperator<ImageProvider> atThisSandbox = adapter -> new CurrentSandboxAddress(adapter, server.baseUrl());
        return switch (s.api()) {
            case SEGMIND -> segmind(properties, ledgerDir, server.baseUrl(), "sandbox", limits, atThisSandbox, owned);
            case PIXAZO -> pixazo(properties, server.baseUrl(), "sandbox", limits, atThisSandbox, onDelivery, owned);
        };
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

    /** @param around wraps the API's adapter (inside the pacing) */
    private static ProviderHandle segmind(ZbatchProperties properties, Path ledgerDir, URI baseUrl, String key,
                                          RateLimits limits, UnaryOperator<ImageProvider> around,
                                          List<AutoCloseable> owned) {
        ZbatchProperties.Segmind segmind = properties.providers().segmind();
        SegmindSettings settings = new SegmindSettings(baseUrl, key, segmind.connectTimeout(),
                segmind.responseTimeout(), MAX_CONNECTIONS);
        ImageProvider provider = switch (segmind.mode()) {
            case ASYNC -> new SegmindAsyncProvider(settings);
            case SYNC -> new SegmindSyncProvider(settings, ledgerDir.resolve("spool"));
        };
        return new ProviderHandle(paced(around.apply(provider), limits), ProviderKind.SEGMIND.keyVariable(),
                polling(properties), owned);
    }

    private static ProviderHandle pixazo(ZbatchProperties properties, URI baseUrl, String key, RateLimits limits,
                                         UnaryOperator<ImageProvider> around, Consumer<String> onDelivery,
                                         List<AutoCloseable> owned) {
        ZbatchProperties.Pixazo pixazo = properties.providers().pixazo();
        ZbatchProperties.Webhook webhook = pixazo.webhook();
        PixazoWebhookReceiver receiver = null;
        URI callback = null;
        PollSchedule schedule = polling(properties);
        if (webhook.publicUrl() != null) {
            receiver = PixazoWebhookReceiver.start(webhook.bindAddress(), webhook.port(), onDelivery);
            owned.add(receiver);
            callback = receiver.callbackUrl(webhook.publicUrl());
            // deliveries make a row due at once; polling stays on, slowly, so a lost delivery strands nothing
            Duration fallback = webhook.fallbackPollInterval();
            schedule = new PollSchedule(FirstPollDelay.fixed(fallback), fallback, fallback, 1.0);
        }
        PixazoProvider provider = new PixazoProvider(new PixazoSettings(baseUrl, key, pixazo.connectTimeout(),
                pixazo.responseTimeout(), MAX_CONNECTIONS, callback), receiver);
        return new ProviderHandle(paced(around.apply(provider), limits), ProviderKind.PIXAZO.keyVariable(), schedule,
                owned);
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

    private static String key(Function<String, String> environment, ProviderKind kind, String configured) {
        String variable = kind.keyVariable();
        String fromEnvironment = environment.apply(variable);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) return fromEnvironment.trim();
        if (configured != null && !configured.isBlank()) return configured.trim();
        throw new ConfigException(variable + " is not set: export " + variable + "=<your key> (nothing was sent)");
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
