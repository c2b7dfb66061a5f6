package dev.zbatch.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The reader's answer to each file of src/test/resources/bad-input (see the README there). */
class BadInputCorpusTest {

    @TempDir
    Path dir;

    static Path corpus(String name) {
        try {
            return Path.of(BadInputCorpusTest.class.getResource("/bad-input/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row, and every row-scoped problem in its place, reading on after each. */
    private static List<Object> readThrough(Path file) {
        List<Object> out = new ArrayList<>();
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS)) {
            while (true) {
                try {
                    InputRow row = source.next();
                    if (row == null) return out;
                    out.add(row);
                } catch (InputException e) {
                    out.add(e);
                    if (!e.rowScoped()) return out;
                }
            }
        }
    }

    private static InputException openFails(String name) {
        Path file = corpus(name);
        InputException e = catchThrowableOfType(InputException.class, () -> InputFiles.open(file, InputOptions.DEFAULTS).close());
        assertThat(e).as(name).isNotNull();
        assertThat(e.getMessage()).startsWith(file.toString());
        assertThat(e.rowNo()).isZero();
        return e;
    }

    @Test
    void unbalancedQuoteStopsTheReadingAtTheLineWhereTheFieldStarts() {
        List<Object> read = readThrough(corpus("unbalanced-quote.csv"));
        assertThat(read).hasSize(2);
        assertThat(((InputRow) read.get(0)).field("id")).isEqualTo("a");
        InputException e = (InputException) read.get(1);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.rowNo()).isEqualTo(2);
        assertThat(e.rowScoped()).isFalse();
        assertThat(e.reason()).contains("unbalanced double quote");
    }

    @Test
    void aRaggedRowIsRowScopedAndTheRowsAfterItAreRead() {
        List<Object> read = readThrough(corpus("ragged-row.csv"));
        assertThat(read).hasSize(7);
        InputException e = (InputException) read.get(3);
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.rowNo()).isEqualTo(4);
        assertThat(e.rowScoped()).isTrue();
        assertThat(e.getMessage()).contains("ragged-row.csv:5: ragged row: 3 fields but the header has 2 columns")
                .contains("double quotes");
        assertThat(read.subList(4, 7)).extracting(r -> ((InputRow) r).rowNo()).containsExactly(5L, 6L, 7L);
        assertThat(read.subList(4, 7)).extracting(r -> ((InputRow) r).line()).containsExactly(6L, 7L, 8L);
    }

    @Test
    void fileLevelProblemsFailWhenTheFileIsOpened() {
        assertThat(openFails("empty.csv").reason()).contains("the file is empty");
        assertThat(openFails("header-only.csv")).satisfies(e -> {
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.reason()).isEqualTo("the file has a header row but no data rows");
        });
        assertThat(openFails("utf16le.csv").reason()).contains("UTF-16");
        assertThat(openFails("duplicate-columns.csv")).satisfies(e -> {
            assertThat(e.field()).isEqualTo("prompt");
            assertThat(e.reason()).contains("duplicate column name");
        });
        assertThat(openFails("unknown-format.txt").reason()).contains("zbatch.input.format");
    }

    @Test
    void aMissingPromptColumnIsFoundFromTheHeader() {
        Path file = corpus("missing-prompt-column.csv");
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS)) {
            assertThatThrownBy(() -> InputRows.requireColumns(source, file, List.of("prompt")))
                    .isInstanceOf(InputException.class)
                    .hasMessage(file + ":1: field 'prompt': no such column; the file has columns: id, title, color");
        }
    }

    @Test
    void invalidUtf8StopsTheReadingOnItsLine() {
        List<Object> read = readThrough(corpus("invalid-utf8-line3.csv"));
        assertThat(read).hasSize(2);
        InputException e = (InputException) read.get(1);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.rowNo()).isEqualTo(2);
        assertThat(e.rowScoped()).isFalse();
        assertThat(e.reason()).contains("not valid UTF-8").contains("0xE9");
    }

    @Test
    void bomAndCrLfAreRead() {
        List<InputRow> rows = TestFiles.readAll(corpus("bom-crlf.csv"));
        assertThat(rows).extracting(r -> r.field("id")).containsExactly("bom1", "bom2");
        assertThat(rows).extracting(r -> r.field("prompt")).containsExactly("a red fox in snow", "a quoted, prompt");
        assertThat(rows).extracting(InputRow::line).containsExactly(2L, 3L);
    }

    @Test
    void aNulInAFieldNamesTheFieldAndTheRowsAfterItAreRead() {
        List<Object> read = readThrough(corpus("nul-in-field.csv"));
        assertThat(read).hasSize(3);
        InputException e = (InputException) read.get(1);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.field()).isEqualTo("prompt");
        assertThat(e.rowScoped()).isTrue();
        assertThat(((InputRow) read.get(2)).field("id")).isEqualTo("c");
        assertThat(((InputRow) read.get(2)).rowNo()).isEqualTo(3);
    }

    @Test
    void brokenJsonlLinesAreRowScopedWithoutParserInternals() {
        List<Object> read = readThrough(corpus("broken-lines.jsonl"));
        assertThat(read).hasSize(4);
        InputException broken = (InputException) read.get(1);
        assertThat(broken.line()).isEqualTo(2);
        assertThat(broken.rowNo()).isEqualTo(2);
        assertThat(broken.rowScoped()).isTrue();
        assertThat(broken.reason()).startsWith("not valid JSON at column ").contains("end-of-input")
                .doesNotContain("Source").doesNotContain("REDACTED").doesNotContain("StreamReadFeature");
        InputException notObject = (InputException) read.get(2);
        assertThat(notObject.line()).isEqualTo(3);
        assertThat(notObject.reason()).isEqualTo("expected a JSON object ({...}) but found an array");
        InputRow last = (InputRow) read.get(3);
        assertThat(last.field("id")).isEqualTo("j4");
        assertThat(last.rowNo()).isEqualTo(4);
        assertThat(last.line()).isEqualTo(4);
    }

    @Test
    void jsonlNumbersAsStringsAreTheSameText() {
        InputRow row = TestFiles.readAll(corpus("numbers-as-strings.jsonl")).get(0);
        assertThat(row.field("width")).isEqualTo("512");
        assertThat(row.field("seed")).isEqualTo("7");
    }

    @Test
    void aJsonlArrayValueBecomesItsJsonText() {
        List<InputRow> rows = TestFiles.readAll(corpus("array-value.jsonl"));
        assertThat(rows.get(0).field("tags")).isEqualTo("[\"fox\",\"snow\"]");
        assertThat(rows.get(1).field("width")).isEqualTo("[512,768]");   // the request builder rejects it
    }

    @Test
    void rowsTheRequestBuilderJudgesAreReadAsWritten() {
        assertThat(TestFiles.readAll(corpus("out-of-range.csv"))).extracting(r -> r.field("width"))
                .containsExactly("", "99999", "");
        assertThat(TestFiles.readAll(corpus("duplicate-ids.csv"))).extracting(r -> r.field("id"))
                .containsExactly("dup", "other", "dup");
        assertThat(TestFiles.readAll(corpus("hostile-ids.csv"))).extracting(r -> r.field("id"))
                .containsExactly("../../etc/passwd", "CON", "a/b\\c", "x".repeat(300));
        assertThat(TestFiles.readAll(corpus("script-prompt.csv")).get(0).field("prompt"))
                .isEqualTo("<script>alert(1)</script>");
        assertThat(TestFiles.readAll(corpus("quote.tsv"))).extracting(r -> r.field("prompt"))
                .containsExactly("A 12\" vinyl record", "say \"hi\", please");
        assertThat(TestFiles.readAll(corpus("empty-prompt.csv")).get(1).field("prompt")).isEmpty();
        assertThat(TestFiles.readAll(corpus("whitespace-prompt.csv")).get(1).field("prompt")).isBlank().isNotEmpty();
    }

    @Test
    void aFileOfBlankLinesIsAnErrorForEveryFormat() {
        for (String name : List.of("blank.jsonl", "blank.tsv")) {
            Path file = TestFiles.write(dir, name, "\n \n\n");
            assertThatThrownBy(() -> InputFiles.open(file, InputOptions.DEFAULTS)).as(name).isInstanceOf(InputException.class)
                    .hasMessageContaining(file.toString());
        }
        Path headerOnlyTsv = TestFiles.write(dir, "h.tsv", "id\tprompt\n\n");
        assertThatThrownBy(() -> InputFiles.open(headerOnlyTsv, InputOptions.DEFAULTS))
                .hasMessage(headerOnlyTsv + ":1: the file has a header row but no data rows");
    }
}
