package dev.zbatch.collect;

import dev.zbatch.cache.CacheEntry;
import dev.zbatch.cache.CachedImage;
import dev.zbatch.cache.ContentCache;
import dev.zbatch.collect.metadata.ImageMetadata;
import dev.zbatch.collect.metadata.MetadataEmbedder;
import dev.zbatch.ledger.ImageNames;
import dev.zbatch.ledger.ImageRecord;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.LedgerRow;
import dev.zbatch.ledger.PendingRow;
import dev.zbatch.files.AtomicFiles;
import dev.zbatch.request.CanonicalJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A run's side of the content cache ({@code zbatch.cache.dir}): rows whose fixed-seed request is in it are given
 * its images instead of being sent; rows that finish with images fill it. Without a cache both do nothing.
 */
public final class CachedImages {

    private static final Logger log = LoggerFactory.getLogger(CachedImages.class);

    private final ContentCache cache;
    private final Ledger ledger;
    private final Path outputDir;
    private final String run;
    private final MetadataEmbedder metadataEmbedder;
    private final EarlierImages earlierImages;

    /**
     * @param cache null when the run has no cache
     * @param run   what a run served from this one's images is told: its job and output folder
     */
    public CachedImages(ContentCache cache, Ledger ledger, Path outputDir, String run,
                        MetadataEmbedder metadataEmbedder) {
        this.cache = cache;
        this.ledger = ledger;
        this.outputDir = outputDir;
        this.run = run;
        this.metadataEmbedder = metadataEmbedder;
        this.earlierImages = new EarlierImages(ledger, outputDir);
    }

    public boolean enabled() {
        return cache != null;
    }

    /** Gives a PENDING row the cache's images of its request, if it has them; true when it did. */
    public boolean serve(PendingRow pending) {
        if (cache == null || CanonicalJson.read(pending.requestJson()).seed() == -1) return false;
        Optional<CacheEntry> found = cache.find(CanonicalJson.sha256(pending.requestJson()), pending.requestJson());
        Optional<LedgerRow> row = found.isEmpty() ? Optional.empty() : ledger.row(pending.rowNo());
        if (row.isEmpty()) return false;
        CacheEntry entry = found.get();
        List<byte[]> cachedBytes = new ArrayList<>();
        try {
            for (CachedImage image : entry.images()) cachedBytes.add(Files.readAllBytes(entry.fileOf(image)));
        } catch (IOException e) {
            log.warn("cache entry {} could not be read ({}); row {} is sent", entry.dir(), e.getMessage(),
                    row.get().ordinal());
            return false;
        }
        ImageMetadata metadata = ImageMetadata.of(row.get(), entry.seed());
        List<ImageRecord> images = new ArrayList<>();
        try {
            earlierImages.setAside(row.get().key());
            for (int i = 0; i < entry.images().size(); i++) {
                CachedImage image = entry.images().get(i);
                String extension = image.file().substring(image.file().lastIndexOf('.'));
                String file = "images/" + ImageNames.of(row.get().fileStem(), entry.images().size(), image.imageNo())
                        + extension;
                byte[] bytes = metadataEmbedder.embed(cachedBytes.get(i),
                        ImageVerifier.normaliseFormat(image.contentType()), metadata);
                AtomicFiles.write(AtomicFiles.resolveInside(outputDir, file), bytes);
                images.add(new ImageRecord(image.imageNo(), file, bytes.length, ImageVerifier.sha256(bytes),
                        image.width(), image.height(), image.contentType(), image.mismatch()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cached images of row " + row.get().ordinal()
                    + " in " + outputDir, e);
        }
        return ledger.markServedFromCache(pending.rowNo(), images, entry.seed(), entry.run());
    }

    /**
     * Keeps a finished row's images for later runs, when its request fixes its seed. A cache that cannot be
     * written costs nothing but the saving: the run goes on.
     */
    void keep(String requestJson, boolean fixedSeed, Long seed, List<ImageRecord> images) {
        if (cache == null || !fixedSeed || images.isEmpty()) return;
        List<CachedImage> entry = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (ImageRecord image : images) {
            String extension = image.file().substring(image.file().lastIndexOf('.'));
            entry.add(new CachedImage(image.imageNo(), image.imageNo() + extension, image.bytes(), image.sha256(),
                    image.width(), image.height(), image.contentType(), image.mismatch()));
            files.add(outputDir.resolve(image.file()));
        }
        try {
            cache.put(CanonicalJson.sha256(requestJson), requestJson, seed, run, entry, files);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot keep the images of {} in the cache {}: {}", images.get(0).file(), cache.dir(),
                    e.getMessage());
        }
    }
}
