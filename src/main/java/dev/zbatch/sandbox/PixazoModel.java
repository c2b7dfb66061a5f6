package dev.zbatch.sandbox;

import java.util.List;
import java.util.Optional;

/**
 * The two Pixazo Z-Image models and what their request bodies may hold, as Pixazo's document says
 * (seeds/004_3d680222d928612e.txt): {@code POST /{slug}/v1/{action}}.
 */
enum PixazoModel {
    /** Turbo: steps 1-50 (default 8, as fal's), no guidance_scale (ignored when sent), acceleration only "none". */
    TURBO("z-image-turbo-834", "z-image-turbo-request", 1, 50, 8, false, List.of("none")),
    /** Base: steps 10-100 (default 28), guidance_scale 1-20 (default 4), acceleration regular|fast|ultra_fast. */
    BASE("z-image-base", "z-image-base-request", 10, 100, 28, true, List.of("regular", "fast", "ultra_fast"));

    static final double MIN_GUIDANCE = 1.0;
    static final double MAX_GUIDANCE = 20.0;
    static final double DEFAULT_GUIDANCE = 4.0;

    private final String slug;
    private final String action;
    private final int minSteps;
    private final int maxSteps;
    private final int defaultSteps;
    private final boolean takesGuidance;
    private final List<String> accelerations;

    PixazoModel(String slug, String action, int minSteps, int maxSteps, int defaultSteps, boolean takesGuidance,
                List<String> accelerations) {
        this.slug = slug;
        this.action = action;
        this.minSteps = minSteps;
        this.maxSteps = maxSteps;
        this.defaultSteps = defaultSteps;
        this.takesGuidance = takesGuidance;
        this.accelerations = accelerations;
    }

    /** The first path segment, also the request id's prefix and the status body's model_id. */
    String slug() {
        return slug;
    }

    /** The last path segment. */
    String action() {
        return action;
    }

    int minSteps() {
        return minSteps;
    }

    int maxSteps() {
        return maxSteps;
    }

    int defaultSteps() {
        return defaultSteps;
    }

    boolean takesGuidance() {
        return takesGuidance;
    }

    /** Allowed values of acceleration; the first is the default. */
    List<String> accelerations() {
        return accelerations;
    }

    /** The model served at {@code /{slug}/v1/{action}}, if any. */
    static Optional<PixazoModel> at(String slug, String action) {
        for (PixazoModel model : values()) {
            if (model.slug.equals(slug) && model.action.equals(action)) return Optional.of(model);
        }
        return Optional.empty();
    }

    /** The model whose request ids start with {@code <slug>_}, if any. */
    static Optional<PixazoModel> ofRequestId(String requestId) {
        for (PixazoModel model : values()) {
            if (requestId.startsWith(model.slug + "_")) return Optional.of(model);
        }
        return Optional.empty();
    }
}
