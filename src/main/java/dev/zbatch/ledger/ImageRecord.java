package dev.zbatch.ledger;

/**
 * One verified image on disk.
 *
 * @param imageNo     1-based within its row
 * @param file        path relative to the output folder, with forward slashes
 * @param mismatch    how the image differs from what its request asked ("asked 1000x1000, got 992x992"), or null
 *                    when it is what was asked
 */
public record ImageRecord(int imageNo, String file, long bytes, String sha256, int width, int height,
                          String contentType, String mismatch) {

    /** An image that is what its request asked. */
    public ImageRecord(int imageNo, String file, long bytes, String sha256, int width, int height,
                       String contentType) {
        this(imageNo, file, bytes, sha256, width, height, contentType, null);
    }
}
