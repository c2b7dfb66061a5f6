package dev.zbatch.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.zbatch.input.TestFiles.concat;
import static dev.zbatch.input.TestFiles.readAll;
import static dev.zbatch.input.TestFiles.utf8;
import static dev.zbatch.input.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class JsonlRowSourceTest {

    @TempDir
    Path dir;

    @Test
    void valuesBecomeTextAndNullIsAbsent() {
        Path file = write(dir, "p.jsonl", "{\"id\":\"a1\",\"prompt\":\"  a cat \\n on a mat\",\"width\":768,"
                + "\"guidance\":7.5,\"nsfw\":true,\"seed\":null,\"tags\":[\"x\", 1],\"extra\":{\"k\": \"v\"}}\n");
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS)) {
            assertThat(source.columns()).isEmpty();
            InputRow row = source.next();
            assertThat(row.fields()).containsExactly(
                    entry("id", "a1"),
                    entry("prompt", "  a cat \n on a mat"),
                    entry("width", "768"),
                    entry("guidance", "7.5"),
                    entry("nsfw", "true"),
                    entry("tags", "[\"x\",1]"),
                    entry("extra", "{\"k\":\"v\"}"));
            assertThat(source.columns()).containsExactly("id", "prompt", "width", "guidance", "nsfw", "seed",
                    "tags", "extra");
        }
    }

    @Test
    void blankLinesAreSkippedButCounted() {
        List<InputRow> rows = readAll(write(dir, "p.jsonl", "\n{\"prompt\":\"a\"}\r\n   \n\n{\"prompt\":\"b\"}"));
        assertThat(rows).extracting(InputRow::line).containsExactly(2L, 5L);
        assertThat(rows).extracting(InputRow::rowNo).containsExactly(1L, 2L);
    }

    @Test
    void brokenLineIsAnErrorWithItsLine() {
        Path file = write(dir, "b.jsonl", "{\"prompt\":\"a\"}\n\n{\"prompt\": \"unterminated}\n");
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS)) {
            assertThat(source.next()).isNotNull();
            assertThatThrownBy(source::next)
                    .isInstanceOf(InputException.class)
                    .hasMessageStartingWith(file + ":3: not valid JSON");
        }
    }

    @Test
    void twoObjectsOnOneLineIsAnError() {
        Path file = write(dir, "two.jsonl", "{\"prompt\":\"a\"} {\"prompt\":\"b\"}\n");
        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ":1: not valid JSON");
    }

    @Test
    void nonObjectLineIsAnErrorWithItsLine() {
        Path file = write(dir, "n.jsonl", "{\"prompt\":\"a\"}\n[\"prompt\", \"b\"]\n");
        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ":2: expected a JSON object")
                .hasMessageContaining("an array");
        Path scalar = write(dir, "s.jsonl", "\"just a string\"\n");
        assertThatThrownBy(() -> readAll(scalar))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(scalar + ":1: expected a JSON object");
    }

    @Test
    void duplicateKeyIsAnError() {
        Path file = write(dir, "d.jsonl", "{\"prompt\":\"a\",\"prompt\":\"b\"}\n");
        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ":1: ")
                .hasMessageContaining("prompt");
    }

    @Test
    void invalidUtf8AndNulAreErrorsWithTheirLine() {
        Path bad = write(dir, "u.jsonl", concat(utf8("{\"prompt\":\"a\"}\n{\"prompt\":\"caf"),
                new byte[]{(byte) 0xE9}, utf8("\"}\n")));
        assertThatThrownBy(() -> readAll(bad))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(bad + ":2: not valid UTF-8");
        Path nul = write(dir, "z.jsonl", "{\"prompt\":\"a\\u0000b\"}\n");
        assertThatThrownBy(() -> readAll(nul))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(nul + ":1: field 'prompt': ");
    }

    @Test
    void laterRowsMayHaveOtherKeys() {
        List<InputRow> rows = readAll(write(dir, "p.jsonl", "{\"id\":\"a\",\"prompt\":\"x\"}\n{\"prompt\":\"y\",\"seed\":3}\n"));
        assertThat(rows.get(1).fields()).containsExactly(entry("prompt", "y"), entry("seed", "3"));
    }
}
