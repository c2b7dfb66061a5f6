package dev.zbatch.request;

import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical request for one input row, independent of any provider's wire names. Each provider adapter
 * maps it onto its own API; a value an API cannot take is rejected before sending, never silently changed.
 *
 * @param prompt        the final prompt (template applied)
 * @param width         pixels
 * @param height        pixels
 * @param steps         inference steps
 * @param guidanceScale classifier-free guidance
 * @param seed          -1 for random
 * @param imageFormat   png, jpeg or webp
 * @param quality       1-100 (lossy formats)
 * @param numImages     images made from this one request
 * @param imageSize     a named size (Pixazo: {@code landscape_4_3}…), or null where the API takes pixels
 * @param safetyChecker {@code enable_safety_checker}, or null to leave the provider's default
 * @param acceleration  the provider's acceleration mode, or null to leave its default
 * @param extras        provider-specific parameters passed through unchanged (sorted by name)
 */
public record ImageRequest(
        String prompt,
        int width,
        int height,
        int steps,
        double guidanceScale,
        long seed,
        String imageFormat,
        int quality,
        int numImages,
        String imageSize,
        Boolean safetyChecker,
        String acceleration,
        Map<String, String> extras) {

    public ImageRequest {
        extras = extras == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(extras));
    }

    /** File extension for {@link #imageFormat()}. */
    public String fileExtension() {
        return "jpeg".equals(imageFormat) ? "jpg" : imageFormat;
    }
}
