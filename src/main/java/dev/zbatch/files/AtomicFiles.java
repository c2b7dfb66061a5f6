package dev.zbatch.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes files so that a reader never sees a partial file under its final name, and checks that a path built from
 * row content stays inside the output folder.
 * <p>
 * A write goes to {@code .<target name>.<random>.part} in the target's directory, is forced to disk, and is
 * then renamed over the target (atomically where the file system allows it). Leftovers of a crash are
 * removed by {@link #deleteStalePartFiles}. An image's file name never starts with a dot (the output's file
 * names are sanitised so), so such a leftover can never be a finished image.
 */
public final class AtomicFiles {

    static final String PART_SUFFIX = ".part";
    /** Room for the dot, the random part and ".part" within a 255-byte file-name limit. */
    private static final int MAX_TEMP_NAME_PART_BYTES = 200;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Folders whose real location was found inside the real output folder (zbatch made them). */
    private static final Set<FolderInside> CHECKED_FOLDERS = ConcurrentHashMap.newKeySet();
    private static final int MAX_CHECKED_FOLDERS = 10_000;

    private AtomicFiles() {
    }

    /**
     * Writes {@code bytes} to {@code target}, replacing an existing file. The target's directory must exist.
     * On failure the temporary file is deleted and the target is left as it was.
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path dir = absolute.getParent();
        if (dir == null || absolute.getFileName() == null) {
            throw new IllegalArgumentException("not a file path: " + target);
        }
        Path temp = dir.resolve(tempName(absolute.getFileName().toString()));
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the original failure matters more; deleteStalePartFiles cleans up later
                }
            }
        }
    }

    /** {@link #write} for UTF-8 text. */
    public static void writeText(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Deletes leftover temporary files ({@code .*.part}) directly in {@code dir} (not in sub-folders).
     *
     * @return how many were deleted; 0 when the directory does not exist
     */
    public static int deleteStalePartFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                p -> isPartFileName(p.getFileName().toString()))) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try {
                    if (Files.deleteIfExists(entry)) {
                        deleted++;
                    }
                } catch (NoSuchFileException ignored) {
                    // removed concurrently
                }
            }
        }
        return deleted;
    }

    static boolean isPartFileName(String name) {
        return name.startsWith(".") && name.endsWith(PART_SUFFIX) && name.length() > 1 + PART_SUFFIX.length();
    }

    /**
     * Resolves {@code relative} against {@code root} and normalises it; throws IllegalArgumentException unless
     * the result lies strictly inside {@code root} (not root itself). Absolute paths, ".." escapes and
     * invalid characters are rejected; if part of the path already exists, its real location (symbolic
     * links followed) must be inside the real root too.
     */
    public static Path resolveInside(Path root, String relative) {
        if (relative == null || relative.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        Path base = root.toAbsolutePath().normalize();
        Path resolved;
        try {
            resolved = base.resolve(relative).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("invalid path: " + printable(relative), e);
        }
        if (!resolved.startsWith(base) || resolved.equals(base)) {
            throw new IllegalArgumentException("path escapes the output folder: " + printable(relative));
        }
        checkRealLocation(base, resolved, relative);
        return resolved;
    }

    private static void checkRealLocation(Path base, Path resolved, String relative) {
        Path dir = resolved.getParent();
        // the common case, cheaply: nothing there yet, in a folder already checked (java.io.File's test, unlike
        // Files.exists, costs no exception when the file is missing; a dangling link it misses is replaced by the
        // rename in write, never followed)
        if (!resolved.toFile().exists() && (dir.equals(base) || CHECKED_FOLDERS.contains(new FolderInside(base, dir)))) {
            return;
        }
        if (!Files.exists(base)) {
            return;
        }
        Path existing = resolved;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null || existing.equals(base)) {
            return;
        }
        try {
            Path realBase = base.toRealPath();
            Path real = existing.toRealPath();
            if (!real.startsWith(realBase)) {
                throw new IllegalArgumentException("path leads outside the output folder through a link: "
                        + printable(relative));
            }
            if (existing.equals(dir) && Files.isDirectory(real)) {
                if (CHECKED_FOLDERS.size() > MAX_CHECKED_FOLDERS) CHECKED_FOLDERS.clear();
                CHECKED_FOLDERS.add(new FolderInside(base, dir));
            }
        } catch (IOException e) {
            // a dangling link: its target does not exist, so refuse rather than guess
            throw new IllegalArgumentException("cannot resolve path: " + printable(relative), e);
        }
    }

    private record FolderInside(Path base, Path folder) {
    }

    private static String printable(String s) {
        String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return '"' + shown.replaceAll("\\p{Cntrl}", "?") + '"';
    }

    private static String tempName(String targetName) {
        String name = Utf8.truncate(targetName, MAX_TEMP_NAME_PART_BYTES);
        return "." + name + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + PART_SUFFIX;
    }

    private static void syncDirectory(Path dir) {
        // makes the rename durable on Linux; not supported everywhere (e.g. Windows), where it is skipped
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }
}
