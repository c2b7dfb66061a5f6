package dev.zbatch.cache;

import java.nio.file.Path;
import java.util.List;

/**
 * A request whose images are in the cache.
 *
 * @param key     the SHA-256 of its canonical request (provider, model, prompt, every parameter, its fixed seed)
 * @param request the canonical request itself, compared on every use: a key is only a name for it
 * @param seed    the seed the images were made with
 * @param run     the run that made them: its job and output folder, for the manifest of a run it serves
 * @param dir     where its files are
 */
public record CacheEntry(String key, String request, Long seed, String run, List<CachedImage> images, Path dir) {

    public Path fileOf(CachedImage image) {
        return dir.resolve(image.file());
    }
}
