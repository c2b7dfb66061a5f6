package dev.zbatch.provider.registry;

import dev.zbatch.config.ConfigException;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.provider.pacing.RateLimits;
import dev.zbatch.provider.pixazo.PixazoModels;
import dev.zbatch.provider.segmind.SegmindModels;
import dev.zbatch.request.ModelSpec;

import java.time.Duration;
import java.util.function.Function;

/**
 * What zbatch knows of a hosted API family before it talks to it: where its key comes from, its models (with their
 * prices), the limits of the account a run uses, and how long one image typically takes there. No key and no
 * network are needed to ask (the estimate asks before anything is set up). The sandbox speaks one of these APIs
 * and takes that API's models and prices. A new provider is a package with its adapter, a constant here, and its
 * adapter built in {@link ProviderFactory}.
 */
public enum ProviderKind {

    SEGMIND("SEGMIND_API_KEY", SegmindModels::spec, Duration.ofMillis(6700), "Segmind's model page",
            p -> new RateLimits(p.providers().segmind().submitsPerMinute(), p.providers().segmind().callsPerMinute(),
                    p.providers().segmind().burst())),

    PIXAZO("PIXAZO_API_KEY", PixazoModels::spec, Duration.ofSeconds(10),
            "Pixazo publishes none: an assumption; set zbatch.cost.typical-latency",
            p -> new RateLimits(p.providers().pixazo().submitsPerMinute(), p.providers().pixazo().callsPerMinute(),
                    p.providers().pixazo().burst()));

    private final String keyVariable;
    private final Function<String, ModelSpec> models;
    private final Duration typicalLatency;
    private final String latencySource;
    private final Function<ZbatchProperties, RateLimits> accountLimits;

    ProviderKind(String keyVariable, Function<String, ModelSpec> models, Duration typicalLatency,
                 String latencySource, Function<ZbatchProperties, RateLimits> accountLimits) {
        this.keyVariable = keyVariable;
        this.models = models;
        this.typicalLatency = typicalLatency;
        this.latencySource = latencySource;
        this.accountLimits = accountLimits;
    }

    /** The API a run's configuration speaks: its provider's, or for the sandbox, {@code zbatch.sandbox.api}'s. */
    public static ProviderKind of(ZbatchProperties properties) {
        return switch (properties.provider()) {
            case SANDBOX -> switch (properties.sandbox().api()) {
                case SEGMIND -> SEGMIND;
                case PIXAZO -> PIXAZO;
            };
            case SEGMIND -> SEGMIND;
            case PIXAZO -> PIXAZO;
        };
    }

    /** The model a run's configuration names, at the API it speaks. */
    public static ModelSpec spec(ZbatchProperties properties) {
        return of(properties).model(properties.model());
    }

    /** A model this API serves; a ConfigException naming {@code zbatch.model} for any other. */
    public ModelSpec model(String name) {
        try {
            return models.apply(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("zbatch.model: " + e.getMessage());
        }
    }

    /** The environment variable the key comes from (named in messages, never its value). */
    public String keyVariable() {
        return keyVariable;
    }

    /** How long one image takes here, for time estimates when zbatch.cost.typical-latency is unset. */
    public Duration typicalLatency() {
        return typicalLatency;
    }

    /** Where {@link #typicalLatency()} comes from, as the estimate says it. */
    public String latencySource() {
        return latencySource;
    }

    /**
     * The limits a run keeps to: its account's ({@code zbatch.providers.<name>.*}), or for the sandbox, the
     * sandbox's own ({@code zbatch.sandbox.submits-per-minute}), as it would to a real provider's.
     */
    public static RateLimits runLimits(ZbatchProperties properties) {
        return properties.provider() == ZbatchProperties.ProviderName.SANDBOX
                ? new RateLimits(properties.sandbox().submitsPerMinute(), 0, 1)
                : of(properties).accountLimits.apply(properties);
    }
}
