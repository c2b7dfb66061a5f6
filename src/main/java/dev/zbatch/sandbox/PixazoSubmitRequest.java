package dev.zbatch.sandbox;

import dev.zbatch.sandbox.SegmindSubmitRequest.InvalidRequestException;
import tools.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static dev.zbatch.sandbox.RequestFields.bool;
import static dev.zbatch.sandbox.RequestFields.integer;
import static dev.zbatch.sandbox.RequestFields.number;
import static dev.zbatch.sandbox.RequestFields.string;

/**
 * A validated Pixazo Z-Image request body (Turbo or Base), defaults applied. Fields and ranges are those of
 * Pixazo's document; {@code image_size} also takes fal.ai's own names, since Pixazo very likely proxies fal.
 * Values are case-sensitive (fal's enums are). Unknown fields are ignored; JSON null counts as absent.
 *
 * @param seed -1 when the body has none (a random one is drawn at acceptance)
 */
record PixazoSubmitRequest(
        String prompt,
        String imageSize,
        int width,
        int height,
        int steps,
        double guidanceScale,
        int numImages,
        boolean enableSafetyChecker,
        String outputFormat,
        String acceleration,
        long seed) {

    /** image_size name to {width, height}: Pixazo's five names, then fal's (fal's pixel sizes for both). */
    static final Map<String, int[]> IMAGE_SIZES;

    static {
        Map<String, int[]> sizes = new LinkedHashMap<>();
        sizes.put("portrait_3_4", new int[]{768, 1024});
        sizes.put("landscape_4_3", new int[]{1024, 768});
        sizes.put("square_1_1", new int[]{1024, 1024});
        sizes.put("portrait_9_16", new int[]{576, 1024});
        sizes.put("landscape_16_9", new int[]{1024, 576});
        sizes.put("square_hd", new int[]{1024, 1024});
        sizes.put("square", new int[]{512, 512});
        sizes.put("portrait_4_3", new int[]{768, 1024});
        sizes.put("portrait_16_9", new int[]{576, 1024});
        IMAGE_SIZES = Collections.unmodifiableMap(sizes);
    }

    static final Set<String> FORMATS = Set.of("png", "jpeg", "webp");
    static final int MAX_IMAGES = 4;

    static PixazoSubmitRequest parse(PixazoModel model, JsonNode body) {
        if (body == null || !body.isObject()) throw new InvalidRequestException("Request body must be a JSON object");
        String prompt = string(body, "prompt", null);
        if (prompt == null) throw new InvalidRequestException("prompt is required");
        if (prompt.isBlank()) throw new InvalidRequestException("prompt must not be empty");

        String imageSize = string(body, "image_size", null);
        if (imageSize == null) throw new InvalidRequestException("image_size is required");
        int[] size = IMAGE_SIZES.get(imageSize);
        if (size == null)
            throw new InvalidRequestException("image_size must be one of " + String.join(", ", IMAGE_SIZES.keySet())
                    + " (got " + imageSize + ")");

        int steps = (int) integer(body, "num_inference_steps", model.defaultSteps(), model.minSteps(), model.maxSteps());
        double guidance = 0.0;
        if (model.takesGuidance()) {
            guidance = number(body, "guidance_scale", PixazoModel.DEFAULT_GUIDANCE, PixazoModel.MIN_GUIDANCE,
                    PixazoModel.MAX_GUIDANCE);
        }
        int numImages = (int) integer(body, "num_images", 1, 1, MAX_IMAGES);
        boolean safety = bool(body, "enable_safety_checker", true);
        String format = string(body, "output_format", "png");
        if (!FORMATS.contains(format))
            throw new InvalidRequestException("output_format must be one of png, jpeg, webp (got " + format + ")");
        String acceleration = string(body, "acceleration", model.accelerations().get(0));
        if (!model.accelerations().contains(acceleration))
            throw new InvalidRequestException("acceleration must be " + (model.accelerations().size() == 1
                    ? "\"" + model.accelerations().get(0) + "\"" : "one of " + String.join(", ", model.accelerations()))
                    + " for " + model.slug() + " (got " + acceleration + ")");
        long seed = integer(body, "seed", -1, 0, Long.MAX_VALUE);
        return new PixazoSubmitRequest(prompt, imageSize, size[0], size[1], steps, guidance, numImages, safety,
                format, acceleration, seed);
    }
}
