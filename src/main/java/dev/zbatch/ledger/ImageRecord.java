package dev.zbatch.ledger;

/**
 * One verified image on disk.
 *
 * @param imageNo     1-based within its row
 * @param file        path relative to the output folder, with forward slashes
 */
public record ImageRecord(int imageNo, String file, long bytes, String sha256, int width, int height,
                          String contentType) {
}
