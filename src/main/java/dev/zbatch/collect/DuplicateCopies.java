package dev.zbatch.collect;

import dev.zbatch.ledger.ImageNames;
import dev.zbatch.ledger.ImageRecord;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.LedgerRow;
import dev.zbatch.ledger.RowState;
import dev.zbatch.output.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Settles the rows that repeat an earlier row's request with a fixed seed (never sent: the same request gives
 * the same images, so paying twice would buy nothing): once that row has its images, each repeat gets copies
 * under its own names; if that row failed, so does the repeat, with the reason.
 */
public class DuplicateCopies {

    private final Ledger ledger;
    private final long runId;
    private final Path outputDir;

    public DuplicateCopies(Ledger ledger, long runId, Path outputDir) {
        this.ledger = ledger;
        this.runId = runId;
        this.outputDir = outputDir;
    }

    /** Settles every repeat whose original has ended; returns how many. */
    public int settle() {
        int settled = 0;
        List<Ledger.SettledOriginal> batch;
        do {
            batch = ledger.duplicatesToSettle(runId, 100);
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
            ledger.markDuplicateSkipped(runId, duplicate.rowNo(), because);
            return;
        }
        if (duplicate.originalState() != RowState.COMPLETED) {
            ledger.markDuplicateFailed(runId, duplicate.rowNo(), because);
            return;
        }
        LedgerRow original = ledger.row(runId, duplicate.originalRowNo()).orElseThrow();
        List<ImageRecord> copies = new ArrayList<>();
        for (ImageRecord image : original.images()) {
            String source = image.file();
            String extension = source.substring(source.lastIndexOf('.'));
            String file = "images/" + ImageNames.of(duplicate.fileStem(), original.images().size(), image.imageNo())
                    + extension;
            try {
                byte[] bytes = Files.readAllBytes(AtomicFiles.resolveInside(outputDir, source));
                AtomicFiles.write(AtomicFiles.resolveInside(outputDir, file), bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + source + " to " + file, e);
            }
            copies.add(new ImageRecord(image.imageNo(), file, image.bytes(), image.sha256(), image.width(),
                    image.height(), image.contentType()));
        }
        ledger.markCopied(runId, duplicate.rowNo(), copies);
    }
}
