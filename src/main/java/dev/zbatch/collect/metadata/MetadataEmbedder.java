package dev.zbatch.collect.metadata;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an image's {@link ImageMetadata} into its file's bytes (PNG text chunks and XMP, JPEG and WebP XMP),
 * inserting it into the container without re-encoding any pixel. Called after the download is verified and
 * before it is written, so the ledger's size and SHA-256 describe the file as it is on disk. Thread-safe.
 */
public final class MetadataEmbedder {

    private static final Logger log = LoggerFactory.getLogger(MetadataEmbedder.class);

    private final boolean enabled;

    /** @param enabled {@code zbatch.output.embed-metadata}; when false, images are written as downloaded */
    public MetadataEmbedder(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The image with its metadata; the same array when embedding is off or the container cannot take it (the
     * image was verified and paid for, so it is kept without metadata rather than lost; a warning says so).
     *
     * @param format "png", "jpeg" or "webp", as {@code ImageVerifier} found it
     */
    public byte[] embed(byte[] image, String format, ImageMetadata metadata) {
        if (!enabled) return image;
        try {
            switch (format) {
                case "png":
                    return PngTextChunks.embed(image, metadata);
                case "jpeg":
                    return JpegXmp.embed(image, metadata);
                case "webp":
                    return WebpXmp.embed(image, metadata);
                default:
                    throw new IllegalArgumentException("no metadata writer for " + format);
            }
        } catch (RuntimeException e) {
            log.warn("row {}: image written without embedded metadata: {}", metadata.rowId(), e.getMessage());
            return image;
        }
    }
}
