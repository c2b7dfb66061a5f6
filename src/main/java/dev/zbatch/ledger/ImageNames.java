package dev.zbatch.ledger;

import java.util.ArrayList;
import java.util.List;

/** The file names (without extension) a row's images get: its stem for one image, stem-1 … stem-n for n. */
public final class ImageNames {

    private ImageNames() {
    }

    public static List<String> of(String stem, int images) {
        if (images <= 1) return List.of(stem);
        List<String> names = new ArrayList<>(images);
        for (int i = 1; i <= images; i++) names.add(stem + "-" + i);
        return names;
    }

    /** The name of image {@code imageNo} (1-based) of a row with {@code images} images. */
    public static String of(String stem, int images, int imageNo) {
        return images <= 1 ? stem : stem + "-" + imageNo;
    }
}
