package dev.zbatch.ledger;

import dev.zbatch.config.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The ledger database's password: random, made when the ledger is, kept in {@code ledger.key} beside it, readable
 * by its owner only. While a run serves its ledger on a loopback port ({@link LedgerServer}), another user of the
 * machine could otherwise connect as H2's admin and, through SQL, run code as the user running zbatch. With it,
 * connecting takes what reading the ledger's folder as its owner takes.
 */
final class LedgerKey {

    static final String FILE = "ledger.key";

    private LedgerKey() {
    }

    /** The key of the ledger in {@code dir}, made now if it has none yet. */
    static String of(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            if (!Files.exists(file)) create(file);
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new ConfigException("cannot read or make the ledger's key " + file + ": " + e.getMessage(), e);
        }
    }

    /** The key of the ledger in {@code dir} if it has one that this process may read, else null. */
    static String existing(Path dir) {
        try {
            return Files.readString(dir.resolve(FILE), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return null;
        }
    }

    private static void create(Path file) throws IOException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        Path temp = file.resolveSibling(FILE + "." + System.nanoTime() + ".part");
        Files.createFile(temp, ownerOnly(file));
        try {
            Files.writeString(temp, HexFormat.of().formatHex(random), StandardCharsets.US_ASCII);
            Files.move(temp, file); // never over a key another process has just made: that one stays
        } catch (FileAlreadyExistsException e) {
            // the other process's key is the ledger's
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path file) {
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }
}
