package dev.zbatch.collect;

/**
 * An image that passed {@link ImageVerifier}: what the ledger and the manifest record about it.
 *
 * @param format      "png", "jpeg" or "webp"
 * @param contentType "image/png", "image/jpeg" or "image/webp"
 * @param bytes       size in bytes
 */
public record VerifiedImage(String format, String contentType, int width, int height, long bytes) {

    /** The usual file extension: "png", "jpg" or "webp". */
    public String extension() {
        return "jpeg".equals(format) ? "jpg" : format;
    }
}
