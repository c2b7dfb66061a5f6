package dev.zbatch.request;

import java.util.List;

/**
 * What one provider's model accepts: the range of every canonical parameter and its default.
 * Ranges are inclusive. A row outside a range is REJECTED naming the field and the range.
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
        ImageRequest defaults) {

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
