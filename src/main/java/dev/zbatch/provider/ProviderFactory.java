package dev.zbatch.provider;

import dev.zbatch.config.ConfigException;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.provider.sandbox.SandboxServer;
import dev.zbatch.provider.sandbox.SandboxSettings;
import dev.zbatch.provider.segmind.SegmindProvider;
import dev.zbatch.provider.segmind.SegmindSettings;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Builds the provider a run names. {@code sandbox}, the default, starts the embedded loopback server and talks
 * to it with the real Segmind adapter over HTTP; it needs no key and no network.
 */
public final class ProviderFactory {

    public static final String SEGMIND_KEY_VARIABLE = "SEGMIND_API_KEY";

    private ProviderFactory() {
    }

    public static ProviderHandle create(ZbatchProperties properties, Path ledgerDir) {
        return create(properties, ledgerDir, System::getenv);
    }

    static ProviderHandle create(ZbatchProperties properties, Path ledgerDir, Function<String, String> environment) {
        ZbatchProperties.Segmind segmind = properties.providers().segmind();
        switch (properties.provider()) {
            case "sandbox" -> {
                ZbatchProperties.Sandbox s = properties.sandbox();
                SandboxServer server = SandboxServer.start(SandboxSettings.defaults()
                        .withPort(s.port())
                        .withLatency(s.minLatency(), s.maxLatency())
                        .withFailureRate(s.failureRate())
                        .withSubmitsPerMinute(s.submitsPerMinute())
                        .withStateDir(ledgerDir.resolve("sandbox"))
                        .withRequireApiKey(true));
                SegmindProvider provider = new SegmindProvider(new SegmindSettings(server.baseUrl(), "sandbox",
                        segmind.connectTimeout(), segmind.responseTimeout(), SegmindSettings.DEFAULT_MAX_CONNECTIONS));
                return new ProviderHandle(provider, null, server);
            }
            case "segmind" -> {
                String key = firstNonBlank(environment.apply(SEGMIND_KEY_VARIABLE), segmind.apiKey());
                if (key == null) {
                    throw new ConfigException(SEGMIND_KEY_VARIABLE + " is not set: export " + SEGMIND_KEY_VARIABLE
                            + "=<your key> (nothing was sent)");
                }
                return new ProviderHandle(new SegmindProvider(new SegmindSettings(segmind.baseUrl(), key,
                        segmind.connectTimeout(), segmind.responseTimeout(), SegmindSettings.DEFAULT_MAX_CONNECTIONS)),
                        SEGMIND_KEY_VARIABLE, null);
            }
            default -> throw new ConfigException("zbatch.provider: unknown provider '" + properties.provider()
                    + "' (known: sandbox, segmind)");
        }
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) return a.trim();
        if (b != null && !b.isBlank()) return b.trim();
        return null;
    }
}
