package dev.zbatch.sandbox;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The placeholder images' backdrops (background and the word SANDBOX), drawn once per (size, variant) and then
 * copied: antialiased discs and a dashed frame cost about as much CPU as encoding the whole image, and the sandbox
 * draws one per download; the title, the largest text, was about half of the text drawing.
 * A variant (0 to {@link #VARIANTS} - 1) is picked by the caller from its own hash of prompt and seed, so images
 * still differ in colour from one request to the next. At most {@link #MAX_CACHED_BYTES} of pixels are kept;
 * past that the cache starts again empty.
 */
final class SandboxBackgrounds {

    static final int VARIANTS = 64;
    static final long MAX_CACHED_BYTES = 32L << 20;

    private record Key(int width, int height, int variant, boolean redBlueSwapped) {
    }

    private static final ConcurrentHashMap<Key, byte[]> CACHE = new ConcurrentHashMap<>();
    private static final AtomicLong CACHED_BYTES = new AtomicLong();

    private SandboxBackgrounds() {
    }

    /**
     * Fills {@code image} (a fresh {@link BufferedImage#TYPE_3BYTE_BGR}) with the backdrop of this variant, with
     * red and blue swapped when asked (so that its bytes are in R, G, B order).
     */
    static void copyInto(BufferedImage image, int variant, boolean redBlueSwapped) {
        byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        Key key = new Key(image.getWidth(), image.getHeight(), Math.floorMod(variant, VARIANTS), redBlueSwapped);
        byte[] pixels = CACHE.get(key);
        if (pixels == null) {
            pixels = draw(key);
            if (CACHED_BYTES.addAndGet(pixels.length) > MAX_CACHED_BYTES) {
                CACHE.clear();
                CACHED_BYTES.set(pixels.length);
            }
            CACHE.put(key, pixels);
        }
        System.arraycopy(pixels, 0, target, 0, target.length);
    }

    /** Forgets every kept backdrop (for tests). */
    static void clear() {
        CACHE.clear();
        CACHED_BYTES.set(0);
    }

    private static byte[] draw(Key key) {
        BufferedImage image = new BufferedImage(key.width(), key.height(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        try {
            SandboxImages.drawBackdrop(g, SandboxHashes.sha256("sandbox background\u0000" + key.variant()),
                    key.width(), key.height());
        } finally {
            g.dispose();
        }
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        if (key.redBlueSwapped()) {
            for (int i = 0; i + 2 < pixels.length; i += 3) {
                byte blue = pixels[i];
                pixels[i] = pixels[i + 2];
                pixels[i + 2] = blue;
            }
        }
        return pixels;
    }
}
