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

class TsvRowSourceTest {

    @TempDir
    Path dir;

    @Test
    void quotesAreOrdinaryCharacters() {
        List<InputRow> rows = readAll(write(dir, "p.tsv",
                "id\tprompt\na1\tsign reading \"OPEN\", neon\na2\t\"starts with a quote\na3\t5\" inseam shorts\n"));
        assertThat(rows).extracting(r -> r.field("prompt")).containsExactly(
                "sign reading \"OPEN\", neon", "\"starts with a quote", "5\" inseam shorts");
        assertThat(rows).extracting(InputRow::line).containsExactly(2L, 3L, 4L);
    }

    @Test
    void bomCrlfBlankLinesAndTrimmedHeader() {
        Path file = write(dir, "p.tsv", concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                utf8(" id \tprompt\r\n\r\na1\t  keep spaces  \r\n\r\na2\tsecond\r\n")));
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS)) {
            assertThat(source.columns()).containsExactly("id", "prompt");
            InputRow first = source.next();
            assertThat(first.fields()).containsExactly(entry("id", "a1"), entry("prompt", "  keep spaces  "));
            assertThat(first.line()).isEqualTo(3);
            InputRow second = source.next();
            assertThat(second.rowNo()).isEqualTo(2);
            assertThat(second.line()).isEqualTo(5);
            assertThat(source.next()).isNull();
        }
    }

    @Test
    void raggedRowIsAnErrorAndShortRowLeavesColumnsAbsent() {
        Path file = write(dir, "r.tsv", "id\tprompt\tseed\na1\tcat\na2\tdog\t1\textra\n");
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS)) {
            assertThat(source.next().fields()).containsOnlyKeys("id", "prompt");
            assertThatThrownBy(source::next)
                    .isInstanceOf(InputException.class)
                    .hasMessageStartingWith(file + ":3: ")
                    .hasMessageContaining("ragged row");
        }
    }

    @Test
    void emptyTrailingFieldIsPresentAndEmpty() {
        List<InputRow> rows = readAll(write(dir, "p.tsv", "id\tprompt\tseed\na1\tcat\t\n"));
        assertThat(rows.get(0).fields()).containsExactly(entry("id", "a1"), entry("prompt", "cat"), entry("seed", ""));
    }

    @Test
    void invalidUtf8IsAnErrorWithItsLine() {
        Path file = write(dir, "bad.tsv", concat(utf8("id\tprompt\na1\tok\n\na2\tna"), new byte[]{(byte) 0xC3},
                utf8("ve\n")));
        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ":4: ")
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void duplicateHeaderIsAnError() {
        Path file = write(dir, "d.tsv", "prompt\tprompt\nx\ty\n");
        assertThatThrownBy(() -> InputFiles.open(file, InputOptions.DEFAULTS))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ":1: field 'prompt': duplicate column name");
    }

    @Test
    void nulIsAnErrorNamingTheField() {
        Path file = write(dir, "n.tsv", "id\tprompt\na\0b\tx\n");
        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ":2: field 'id': ");
    }
}
