package dev.zbatch.provider.registry;

import dev.zbatch.config.ConfigException;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.provider.pixazo.PixazoModels;
import dev.zbatch.provider.segmind.SegmindModels;
import dev.zbatch.request.ModelSpec;

/**
 * The model a run's configuration names, without building a provider: no key, no network (the dry run needs
 * it before anything is set up). The sandbox takes the specs of the API it speaks.
 */
public final class ModelCatalog {

    private ModelCatalog() {
    }

    /** The API family whose specs and prices apply: segmind or pixazo. */
    public static String apiOf(ZbatchProperties properties) {
        return switch (properties.provider()) {
            case "sandbox" -> properties.sandbox().api();
            case "segmind", "pixazo" -> properties.provider();
            default -> throw new ConfigException("zbatch.provider: unknown provider '" + properties.provider()
                    + "' (known: sandbox, segmind, pixazo)");
        };
    }

    public static ModelSpec spec(ZbatchProperties properties) {
        String api = apiOf(properties);
        try {
            return switch (api) {
                case "segmind" -> SegmindModels.spec(properties.model());
                case "pixazo" -> PixazoModels.spec(properties.model());
                default -> throw new ConfigException("zbatch.sandbox.api: '" + api + "' is not one of segmind, pixazo");
            };
        } catch (IllegalArgumentException e) {
            throw new ConfigException("zbatch.model: " + e.getMessage());
        }
    }
}
