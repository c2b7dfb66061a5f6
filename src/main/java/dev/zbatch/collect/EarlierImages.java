package dev.zbatch.collect;

import dev.zbatch.ledger.ImageRecord;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.LedgerRow;
import dev.zbatch.files.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The images of a row's earlier versions (its request changed since they were made). They stay under
 * {@code images/} until the new version's images are verified, then move to {@code replaced/} just before the new
 * ones take their names. A file moves only while it is the one its record describes (same SHA-256), and the record
 * follows it after: a crash in between leaves the file in {@code replaced/} and the record at its old name, which
 * the next attempt corrects; the new images are written only once every earlier one has moved.
 */
final class EarlierImages {

    static final String FOLDER = "replaced/";

    private final Ledger ledger;
    private final Path outputDir;

    EarlierImages(Ledger ledger, Path outputDir) {
        this.ledger = ledger;
        this.outputDir = outputDir;
    }

    /** Where an image of an earlier version goes: its name, the version's ledger number, its extension. */
    static String placeFor(String file, long rowNo) {
        int dot = file.lastIndexOf('.');
        return dot > file.lastIndexOf('/') ? nameFor(file.substring(0, dot), rowNo) + file.substring(dot)
                : nameFor(file, rowNo);
    }

    /** The same, for a name without its extension. */
    static String nameFor(String name, long rowNo) {
        return FOLDER + name.substring(name.lastIndexOf('/') + 1) + ".v" + rowNo;
    }

    /** Moves every image of the key's earlier versions still under {@code images/} to {@code replaced/}. */
    void setAside(String key) throws IOException {
        for (LedgerRow earlier : ledger.earlierVersions(key)) {
            for (ImageRecord image : earlier.images()) {
                if (image.file().startsWith(FOLDER)) continue;
                String target = placeFor(image.file(), earlier.rowNo());
                Path from = AtomicFiles.resolveInside(outputDir, image.file());
                Path to = AtomicFiles.resolveInside(outputDir, target);
                if (Files.isRegularFile(from) && ImageVerifier.sha256(Files.readAllBytes(from)).equals(image.sha256())) {
                    Files.createDirectories(to.getParent());
                    Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                ledger.moveImage(earlier.rowNo(), image.imageNo(), target);
            }
        }
    }
}
