package dev.zbatch.collect;

import dev.zbatch.collect.metadata.ImageMetadata;
import dev.zbatch.collect.metadata.MetadataEmbedder;
import dev.zbatch.ledger.ImageNames;
import dev.zbatch.ledger.ImageRecord;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.LedgerRow;
import dev.zbatch.ledger.RowState;
import dev.zbatch.files.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Settles the rows that repeat an earlier row's request with a fixed seed (never sent: the same request gives
 * the same images, so paying twice would buy nothing): once that row has its images, each repeat gets copies
 * under its own names, carrying its own row id in their metadata (so their size and SHA-256 are their own); if
 * that row failed, so does the repeat, with the reason.
 */
public class DuplicateCopies {

    private final Ledger ledger;
    private final Path outputDir;
    private final MetadataEmbedder metadataEmbedder;
    private final EarlierImages earlierImages;

    public DuplicateCopies(Ledger ledger, Path outputDir, MetadataEmbedder metadataEmbedder) {
        this.ledger = ledger;
        this.outputDir = outputDir;
        this.metadataEmbedder = metadataEmbedder;
        this.earlierImages = new EarlierImages(ledger, outputDir);
    }

    /** Settles every repeat whose original has ended; returns how many. */
    public int settle() {
        int settled = 0;
        List<Ledger.SettledOriginal> batch;
        do {
            batch = ledger.duplicatesToSettle(100);
            for (Ledger.SettledOriginal duplicate : batch) {
                settle(duplicate);
                settled++;
            }
        } while (!batch.isEmpty());
        return settled;
    }

    private void settle(Ledger.SettledOriginal duplicate) {
        String because = "the row it repeats (line " + duplicate.originalLine() + ") ended "
                + duplicate.originalState() + ": " + duplicate.originalError();
        if (duplicate.originalState() == RowState.SKIPPED) {
            ledger.markDuplicateSkipped(duplicate.rowNo(), because);
            return;
        }
        if (duplicate.originalState() != RowState.COMPLETED) {
            ledger.markDuplicateFailed(duplicate.rowNo(), because);
            return;
        }
        LedgerRow original = ledger.row(duplicate.originalRowNo()).orElseThrow();

        LedgerRow row = ledger.row(duplicate.rowNo()).orElseThrow();
        ImageMetadata metadata = ImageMetadata.of(row, original.seed());
        List<ImageRecord> copies = new ArrayList<>();
        try {
            earlierImages.setAside(row.key());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set aside the earlier images of row " + row.ordinal(), e);
        }
        for (ImageRecord image : original.images()) {
            String source = image.file();
            String extension = source.substring(source.lastIndexOf('.'));
            String file = "images/" + ImageNames.of(duplicate.fileStem(), original.images().size(), image.imageNo())
                    + extension;
            try {
                byte[] bytes = metadataEmbedder.embed(Files.readAllBytes(AtomicFiles.resolveInside(outputDir, source)),
                        ImageVerifier.normaliseFormat(image.contentType()), metadata);
                AtomicFiles.write(AtomicFiles.resolveInside(outputDir, file), bytes);
                copies.add(new ImageRecord(image.imageNo(), file, bytes.length, ImageVerifier.sha256(bytes),
                        image.width(), image.height(), image.contentType(), image.mismatch()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + source + " to " + file, e);
            }
        }
        ledger.markCopied(duplicate.rowNo(), copies);
    }
}
