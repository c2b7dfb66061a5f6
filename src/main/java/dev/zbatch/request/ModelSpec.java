package dev.zbatch.request;

import java.util.List;

/**
 * What one provider's model accepts: the range of every canonical parameter and its default.
 * Ranges are inclusive. A row outside a range is REJECTED naming the field and the range; a row that sets a
 * parameter the model does not take (its range is null, its list empty) is REJECTED too.
 *
 * @param guidanceScale  null: the API takes no guidance
 * @param seed           null: the API takes no seed
 * @param quality        null: the API takes no quality
 * @param imageSizes     empty: the API takes width and height in pixels; else the size names it takes, and a
 *                       row's width and height must have the aspect ratio of one of them
 * @param accelerations  empty: the API takes no acceleration
 * @param safetyChecker  whether the API takes {@code enable_safety_checker}
 * @param pricePerImageUsd what one image costs, as the provider documents it (null when it does not say)
 * @param sizeStep       where the API takes pixels: the grid the model makes sizes on (a size off it probably comes
 *                       back rounded down to it); 0 when not known
 */
public record ModelSpec(
        String provider,
        String model,
        Range width,
        Range height,
        Range steps,
        DecimalRange guidanceScale,
        Range seed,
        Range quality,
        Range numImages,
        List<String> imageFormats,
        List<String> imageSizes,
        List<String> accelerations,
        boolean safetyChecker,
        java.math.BigDecimal pricePerImageUsd,
        ImageRequest defaults,
        int sizeStep) {

    /** Whether the API takes a named size rather than pixels. */
    public boolean namedSizes() {
        return !imageSizes.isEmpty();
    }

    /** An inclusive whole-number range. */
    public record Range(long min, long max) {
        public boolean contains(long value) {
            return value >= min && value <= max;
        }

        @Override
        public String toString() {
            return min + "–" + max;
        }
    }

    /** An inclusive decimal range. */
    public record DecimalRange(double min, double max) {
        public boolean contains(double value) {
            return value >= min && value <= max;
        }

        @Override
        public String toString() {
            return trim(min) + "–" + trim(max);
        }

        private static String trim(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }
}
