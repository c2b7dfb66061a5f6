package dev.zbatch.files;

import dev.zbatch.output.FileNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writeLeavesOnlyTheTargetWithItsBytes() throws IOException {
        byte[] bytes = {1, 2, 3, 4, 5};
        Path target = dir.resolve("img.png");
        AtomicFiles.write(target, bytes);
        assertThat(target).hasBinaryContent(bytes);
        assertThat(names(dir)).containsExactly("img.png");
    }

    @Test
    void writeReplacesAnExistingFile() throws IOException {
        Path target = dir.resolve("manifest.jsonl");
        AtomicFiles.writeText(target, "old\n");
        AtomicFiles.writeText(target, "new ✓\n");
        assertThat(Files.readString(target, StandardCharsets.UTF_8)).isEqualTo("new ✓\n");
        assertThat(names(dir)).containsExactly("manifest.jsonl");
    }

    @Test
    void aFailedWriteLeavesNoPartFile() throws IOException {
        Path images = Files.createDirectory(dir.resolve("images"));
        Files.delete(images);
        assertThatThrownBy(() -> AtomicFiles.write(images.resolve("a.png"), new byte[] {1}))
                .isInstanceOf(IOException.class);
        assertThat(names(dir)).isEmpty();
    }

    @Test
    void aFailedMoveDeletesTheTempFileAndKeepsTheOldTarget() throws IOException {
        // the target is a non-empty directory: the rename fails after the temp file was written
        Path target = Files.createDirectory(dir.resolve("taken.png"));
        Files.writeString(target.resolve("inside"), "x");
        assertThatThrownBy(() -> AtomicFiles.write(target, new byte[] {1, 2}))
                .isInstanceOf(IOException.class);
        assertThat(names(dir)).containsExactly("taken.png");
        assertThat(target).isDirectory();
    }

    @Test
    void deleteStalePartFilesRemovesOnlyDotPartFiles() throws IOException {
        Files.write(dir.resolve(".a.png.x1y2.part"), new byte[] {1});
        Files.write(dir.resolve(".b.webp.zz.part"), new byte[] {1});
        Files.write(dir.resolve("keep.part"), new byte[] {1}); // not dot-prefixed: not ours
        Files.write(dir.resolve("keep.png"), new byte[] {1});
        Files.createDirectory(dir.resolve(".dir.part"));
        assertThat(AtomicFiles.deleteStalePartFiles(dir)).isEqualTo(2);
        assertThat(names(dir)).containsExactly(".dir.part", "keep.part", "keep.png");
        assertThat(AtomicFiles.deleteStalePartFiles(dir.resolve("missing"))).isZero();
    }

    @Test
    void sanitisedStemsAreNeverMistakenForPartFiles() {
        assertThat(AtomicFiles.isPartFileName(FileNames.sanitize(".x.png.abc.part") + ".png")).isFalse();
    }

    @Test
    void resolveInsideAcceptsNestedPaths() {
        Path p = AtomicFiles.resolveInside(dir, "images/a.png");
        assertThat(p).isEqualTo(dir.toAbsolutePath().normalize().resolve("images").resolve("a.png"));
        assertThat(AtomicFiles.resolveInside(dir, "images/../b.png")).isEqualTo(dir.toAbsolutePath().resolve("b.png"));
    }

    @Test
    void resolveInsideRejectsEscapes() {
        assertThatThrownBy(() -> AtomicFiles.resolveInside(dir, "../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AtomicFiles.resolveInside(dir, "images/../../x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AtomicFiles.resolveInside(dir, "/etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AtomicFiles.resolveInside(dir, dir.getParent().resolve("other").toString()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AtomicFiles.resolveInside(dir, ".")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AtomicFiles.resolveInside(dir, "a\u0000b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resolveInsideAcceptsAnAbsolutePathInsideRoot() {
        Path inside = dir.toAbsolutePath().resolve("images/c.png");
        assertThat(AtomicFiles.resolveInside(dir, inside.toString())).isEqualTo(inside);
    }

    @Test
    void resolveInsideRejectsASymlinkLeadingOut(@TempDir Path outside) throws IOException {
        try {
            Files.createSymbolicLink(dir.resolve("images"), outside);
        } catch (UnsupportedOperationException | IOException e) {
            org.junit.jupiter.api.Assumptions.abort("symbolic links not supported here");
        }
        assertThatThrownBy(() -> AtomicFiles.resolveInside(dir, "images/a.png"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLinkLeadingOutIsRejectedEvenInAFolderAlreadyChecked(@TempDir Path outside) throws IOException {
        Files.createDirectories(dir.resolve("images"));
        assertThat(AtomicFiles.resolveInside(dir, "images/a.png")).isEqualTo(dir.toAbsolutePath().resolve("images/a.png"));
        Path secret = Files.writeString(outside.resolve("secret.txt"), "x");
        try {
            Files.createSymbolicLink(dir.resolve("images/b.png"), secret);
        } catch (UnsupportedOperationException | IOException e) {
            org.junit.jupiter.api.Assumptions.abort("symbolic links not supported here");
        }
        assertThatThrownBy(() -> AtomicFiles.resolveInside(dir, "images/b.png"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
    }
}
