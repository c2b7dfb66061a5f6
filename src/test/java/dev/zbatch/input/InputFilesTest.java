package dev.zbatch.input;

import dev.zbatch.config.InputFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static dev.zbatch.input.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class InputFilesTest {

    @TempDir
    Path dir;

    @Test
    void formatComesFromTheExtension() {
        String jsonl = "{\"id\":\"a\",\"prompt\":\"x\"}\n";
        for (String name : List.of("p.JSONL", "p.ndjson")) {
            assertThat(TestFiles.readAll(write(dir, name, jsonl))).singleElement()
                    .satisfies(r -> assertThat(r.field("prompt")).isEqualTo("x"));
        }
        assertThat(TestFiles.readAll(write(dir, "p.tab", "id\tprompt\na\tx,y\n")).get(0).field("prompt"))
                .isEqualTo("x,y");
        assertThat(TestFiles.readAll(write(dir, "p.Csv", "id,prompt\na,\"x\ty\"\n")).get(0).field("prompt"))
                .isEqualTo("x\ty");
    }

    @Test
    void explicitFormatOverridesTheExtension() {
        Path file = write(dir, "export.txt", "id\tprompt\na\tsay \"hi\", please\n");
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS.withFormat(InputFormat.TSV))) {
            assertThat(source.next().field("prompt")).isEqualTo("say \"hi\", please");
        }
        Path mislabelled = write(dir, "really-tsv.csv", "id\tprompt\na\tx\n");
        try (RowSource source = InputFiles.open(mislabelled, InputOptions.DEFAULTS.withFormat(InputFormat.TSV))) {
            assertThat(source.columns()).containsExactly("id", "prompt");
        }
    }

    @Test
    void unknownExtensionWithoutFormatIsAnError() {
        Path file = write(dir, "prompts.txt", "id,prompt\n");
        assertThatThrownBy(() -> InputFiles.open(file, InputOptions.DEFAULTS))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ": cannot tell the format from the extension;"
                        + " set zbatch.input.format to csv, tsv, jsonl or xlsx")
                .satisfies(e -> assertThat(((InputException) e).line()).isZero());
    }

    @Test
    void missingFileIsAClearError() {
        Path file = dir.resolve("nope.csv");
        assertThatThrownBy(() -> InputFiles.open(file, InputOptions.DEFAULTS))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ": file not found")
                .satisfies(e -> assertThat(((InputException) e).line()).isZero());
    }

    @Test
    void missingRelativeFileSaysWhereItLooked() {
        Path file = Path.of("no-such-dir-zbatch", "prompts.csv");
        assertThatThrownBy(() -> InputFiles.open(file, InputOptions.DEFAULTS))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ": file not found (looked for /");
    }

    @Test
    void directoryIsAClearError() {
        assertThatThrownBy(() -> InputFiles.open(dir, InputOptions.DEFAULTS.withFormat(InputFormat.CSV)))
                .isInstanceOf(InputException.class)
                .hasMessage(dir + ": is a directory, not a prompt file");
    }

    @Test
    void emptyFileIsAClearError() {
        for (String name : List.of("e.csv", "e.tsv", "e.jsonl")) {
            Path file = write(dir, name, "");
            assertThatThrownBy(() -> InputFiles.open(file, InputOptions.DEFAULTS))
                    .isInstanceOf(InputException.class)
                    .hasMessageStartingWith(file + ": the file is empty")
                    .satisfies(e -> assertThat(((InputException) e).line()).isZero());
        }
    }

    @Test
    void bomOnlyFileHasNoHeader() {
        Path file = write(dir, "bom.csv", new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        assertThatThrownBy(() -> InputFiles.open(file, InputOptions.DEFAULTS))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ": no header row");
    }

    @Test
    void unreadableFileIsAClearError() throws Exception {
        Path file = write(dir, "secret.csv", "id,prompt\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
        assumeThat(Files.isReadable(file)).as("running as root: permissions are not enforced").isFalse();
        assertThatThrownBy(() -> InputFiles.open(file, InputOptions.DEFAULTS))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ": cannot read the file: permission denied");
    }
}
