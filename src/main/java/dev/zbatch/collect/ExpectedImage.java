package dev.zbatch.collect;

import dev.zbatch.request.ImageRequest;
import dev.zbatch.request.ImageSizes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a downloaded image must be for the request it answers: its format, and its size in pixels where the API
 * takes pixels. Where the API takes a size name (Pixazo), the pixels behind each name are not documented, so
 * the image must have the name's aspect ratio when that is the ratio the row asked for; a size name given
 * directly by the row is taken on trust.
 */
record ExpectedImage(String format, int width, int height, int[] ratio) {

    /** Aspect ratios may differ by this much (a 16:9 name may come as 1024x576 or 1344x768). */
    private static final double RATIO_TOLERANCE = 0.02;

    static ExpectedImage of(ImageRequest request) {
        if (request.imageSize() == null) {
            return new ExpectedImage(request.imageFormat(), request.width(), request.height(), null);
        }
        Optional<int[]> named = ImageSizes.ratioOf(request.imageSize());
        boolean askedThatRatio = named.isPresent()
                && (long) request.width() * named.get()[1] == (long) request.height() * named.get()[0];
        return new ExpectedImage(request.imageFormat(), 0, 0, askedThatRatio ? named.get() : null);
    }

    /**
     * How a complete image differs from what the request asked ("asked webp, got jpeg; asked 1000x1000, got
     * 992x992"), or null when it is what was asked.
     */
    String differenceFrom(VerifiedImage image) {
        List<String> differences = new ArrayList<>();
        String askedFormat = ImageVerifier.normaliseFormat(format);
        if (!askedFormat.equals(image.format())) differences.add("asked " + askedFormat + ", got " + image.format());
        if (width > 0 && height > 0 && (image.width() != width || image.height() != height)) {
            differences.add("asked " + width + "x" + height + ", got " + image.width() + "x" + image.height());
        }
        if (ratio != null) {
            double expected = (double) ratio[0] / ratio[1];
            double actual = (double) image.width() / image.height();
            if (Math.abs(actual - expected) / expected > RATIO_TOLERANCE) {
                differences.add("asked the " + ratio[0] + ":" + ratio[1] + " shape, got " + image.width() + "x"
                        + image.height());
            }
        }
        return differences.isEmpty() ? null : String.join("; ", differences);
    }
}
