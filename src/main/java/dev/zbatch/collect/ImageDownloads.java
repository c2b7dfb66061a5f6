package dev.zbatch.collect;

import dev.zbatch.collect.metadata.ImageMetadata;
import dev.zbatch.collect.metadata.MetadataEmbedder;
import dev.zbatch.run.RunControl;
import dev.zbatch.ledger.ImageRecord;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.files.AtomicFiles;
import dev.zbatch.provider.FetchedImage;
import dev.zbatch.provider.ImageProvider;
import dev.zbatch.provider.ProviderException;
import dev.zbatch.run.Retry;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Fetches a finished request's images and writes each one under its name once it is complete. Bytes that are cut
 * short or do not decode are fetched again (they were not what was paid for); an image that decodes is kept,
 * under the extension of its real format, also when it differs from what was asked: the difference is recorded
 * with it ({@link ImageRecord#mismatch}). Under {@code zbatch.collect.on-mismatch=fail} such an image is kept
 * under a name that says so ({@code <name>.mismatch.<ext>}).
 */
public final class ImageDownloads {

    static final String MISMATCH_SUFFIX = ".mismatch";

    private final Path outputDir;
    private final RunControl control;
    private final Retry retry;
    private final MetadataEmbedder metadataEmbedder;
    private final EarlierImages earlierImages;
    private final boolean failOnMismatch;
    private final ImageVerifier verifier = new ImageVerifier();

    /**
     * @param ledger         where the earlier images of a changed row are found (they are moved aside, not lost)
     * @param failOnMismatch {@code zbatch.collect.on-mismatch=fail}: an image that differs from the request is kept
     *                       under a {@code .mismatch} name, and its row ends FAILED
     */
    public ImageDownloads(Ledger ledger, Path outputDir, RunControl control, Retry retry,
                          MetadataEmbedder metadataEmbedder, boolean failOnMismatch) {
        this.outputDir = outputDir;
        this.control = control;
        this.retry = retry;
        this.metadataEmbedder = metadataEmbedder;
        this.earlierImages = new EarlierImages(ledger, outputDir);
        this.failOnMismatch = failOnMismatch;
    }

    Path outputDir() {
        return outputDir;
    }

    boolean failOnMismatch() {
        return failOnMismatch;
    }

    /**
     * @param name        the image's path in the output folder without its extension
     * @param replacesFor the row key whose earlier images this one replaces (moved aside first), or null
     * @throws ImageVerificationException when the bytes were still not a complete image after the attempts
     * @throws ProviderException          when the download itself failed (the result may be fetched later)
     * @throws IOException                when the file cannot be written
     */
    ImageRecord fetch(ImageProvider provider, URI url, int imageNo, String name, ExpectedImage expected, ImageMetadata metadata,
                      String replacesFor) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                FetchedImage fetched = provider.download(url);
                VerifiedImage image = verifier.verify(fetched.bytes());
                String mismatch = expected.differenceFrom(image);
                byte[] bytes = metadataEmbedder.embed(fetched.bytes(), image.format(), metadata);
                boolean failing = mismatch != null && failOnMismatch;
                if (replacesFor != null && !failing) earlierImages.setAside(replacesFor);
                String file = name + (failing ? MISMATCH_SUFFIX : "") + "." + image.extension();
                Path target = AtomicFiles.resolveInside(outputDir, file);
                if (file.startsWith(EarlierImages.FOLDER)) Files.createDirectories(target.getParent());
                AtomicFiles.write(target, bytes);
                // hashed once, as written (with its metadata): the manifest describes the file on disk
                return new ImageRecord(imageNo, file, bytes.length, ImageVerifier.sha256(bytes), image.width(),
                        image.height(), image.contentType(), mismatch);
            } catch (ProviderException | ImageVerificationException e) {
                boolean retryable = e instanceof ImageVerificationException
                        || ((ProviderException) e).kind() == ProviderException.Kind.TRANSIENT
                        || ((ProviderException) e).kind() == ProviderException.Kind.RATE_LIMITED;
                if (!retryable || attempt >= retry.maxAttempts() || control.halted()) throw e;
                sleep(retry.delay(attempt, e instanceof ProviderException pe ? pe.retryAfter() : null));
            }
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
