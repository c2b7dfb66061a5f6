package dev.zbatch.cache;

/**
 * One image of a cache entry, as its run wrote it.
 *
 * @param file     the file's name inside the entry
 * @param mismatch how it differs from its request, or null (see {@code ImageRecord#mismatch})
 */
public record CachedImage(int imageNo, String file, long bytes, String sha256, int width, int height,
                          String contentType, String mismatch) {
}
