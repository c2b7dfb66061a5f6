package dev.zbatch.provider.segmind;

import dev.zbatch.request.ImageRequest;
import dev.zbatch.request.ModelSpec;
import dev.zbatch.request.ModelSpec.DecimalRange;
import dev.zbatch.request.ModelSpec.Range;

import java.util.List;
import java.util.Map;

/** The models Segmind serves, with the ranges and defaults of its Z-Image Turbo documentation. */
public final class SegmindModels {

    public static final String Z_IMAGE_TURBO = "z-image-turbo";

    public static final ModelSpec TURBO = new ModelSpec(
            "segmind",
            Z_IMAGE_TURBO,
            new Range(256, 2048),
            new Range(256, 2048),
            new Range(1, 75),
            new DecimalRange(0, 15),
            // the upper bound is the documented one, odd as it looks (Segmind's API reference gives it so)
            new Range(-1, 92_147_483_647L),
            new Range(1, 100),
            new Range(1, 1),
            List.of("jpeg", "png", "webp"),
            List.of(),
            List.of(),
            false,
            null, // Segmind publishes no per-image price for this model
            new ImageRequest(null, 1024, 1024, 8, 1.0, -1, "webp", 90, 1, null, null, null, Map.of()),
            // a diffusion transformer over an 8x latent in 2x2 patches: 1000x1000 comes back 992x992
            16);

    private SegmindModels() {
    }

    public static ModelSpec spec(String model) {
        if (Z_IMAGE_TURBO.equals(model)) return TURBO;
        throw new IllegalArgumentException("segmind has no model '" + model + "' (known: " + Z_IMAGE_TURBO + ")");
    }
}
