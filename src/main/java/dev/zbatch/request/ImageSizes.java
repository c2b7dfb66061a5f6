package dev.zbatch.request;

import java.util.List;
import java.util.Optional;

/**
 * Named image sizes whose names end with their aspect ratio ({@code landscape_4_3}, {@code portrait_9_16},
 * {@code square_1_1}): which name has the ratio of a width and height.
 */
public final class ImageSizes {

    private ImageSizes() {
    }

    /** The ratio a name ends with, as {width, height}; empty when the name does not end with one. */
    public static Optional<int[]> ratioOf(String name) {
        String[] parts = name.split("_");
        if (parts.length < 3) return Optional.empty();
        try {
            int w = Integer.parseInt(parts[parts.length - 2]);
            int h = Integer.parseInt(parts[parts.length - 1]);
            return w > 0 && h > 0 ? Optional.of(new int[]{w, h}) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The name among {@code names} whose ratio is exactly width : height. */
    public static Optional<String> forPixels(List<String> names, int width, int height) {
        for (String name : names) {
            Optional<int[]> ratio = ratioOf(name);
            if (ratio.isPresent() && (long) width * ratio.get()[1] == (long) height * ratio.get()[0]) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** "1:1 (square_1_1), 4:3 (landscape_4_3), …" for messages. */
    public static String describe(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            if (!sb.isEmpty()) sb.append(", ");
            ratioOf(name).ifPresent(r -> sb.append(r[0]).append(':').append(r[1]).append(' '));
            sb.append('(').append(name).append(')');
        }
        return sb.toString();
    }
}
