package dev.zbatch.provider.pixazo;

import dev.zbatch.request.ImageRequest;
import dev.zbatch.request.ModelSpec;
import dev.zbatch.request.ModelSpec.DecimalRange;
import dev.zbatch.request.ModelSpec.Range;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The models Pixazo's gateway serves, with the ranges, defaults and prices of its documentation
 * (shared/seeds/004_…: Z-Image Turbo $0.008 and Base $0.01 per image, at every resolution).
 * <p>
 * Pixazo takes a size name, not pixels; a row's width and height choose the name of the same aspect ratio.
 * The seed is not in Pixazo's tables, but its request schema is fal.ai's, which takes one: it is sent only
 * when a row fixes it.
 */
public final class PixazoModels {

    public static final String Z_IMAGE_TURBO = "z-image-turbo";
    public static final String Z_IMAGE_BASE = "z-image-base";

    /** The size names of the documentation; each ends with its aspect ratio (width_height). */
    public static final List<String> IMAGE_SIZES = List.of(
            "square_1_1", "landscape_4_3", "portrait_3_4", "landscape_16_9", "portrait_9_16");

    private static final Range PIXELS = new Range(256, 2048);
    private static final Range SEED = new Range(-1, 4_294_967_295L);

    public static final ModelSpec TURBO = new ModelSpec(
            "pixazo", Z_IMAGE_TURBO, PIXELS, PIXELS,
            new Range(1, 50),
            null,
            SEED,
            null,
            new Range(1, 4),
            List.of("png", "jpeg", "webp"),
            IMAGE_SIZES,
            List.of("none"),
            true,
            new BigDecimal("0.008"),
            new ImageRequest(null, 1024, 1024, 8, 0, -1, "png", 0, 1, null, null, null, Map.of()),
            0); // sizes by name

    public static final ModelSpec BASE = new ModelSpec(
            "pixazo", Z_IMAGE_BASE, PIXELS, PIXELS,
            new Range(10, 100),
            new DecimalRange(1, 20),
            SEED,
            null,
            new Range(1, 4),
            List.of("png", "jpeg", "webp"),
            IMAGE_SIZES,
            List.of("regular", "fast", "ultra_fast"),
            true,
            new BigDecimal("0.01"),
            new ImageRequest(null, 1024, 1024, 28, 4, -1, "png", 0, 1, null, null, null, Map.of()),
            0); // sizes by name

    private PixazoModels() {
    }

    public static ModelSpec spec(String model) {
        if (Z_IMAGE_TURBO.equals(model)) return TURBO;
        if (Z_IMAGE_BASE.equals(model)) return BASE;
        throw new IllegalArgumentException("pixazo has no model '" + model + "' (known: " + Z_IMAGE_TURBO + ", "
                + Z_IMAGE_BASE + ")");
    }
}
