package dev.zbatch.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.zbatch.input.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InputRowsTest {

    @TempDir
    Path dir;

    @Test
    void missingRequiredColumnNamesItAndListsTheFilesColumns() {
        Path file = write(dir, "catalog.csv", "sku,title,color\nS1,Shirt,red\n");
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS)) {
            assertThatCode(() -> InputRows.requireColumns(source, file, List.of("title", "sku"))).doesNotThrowAnyException();
            assertThatThrownBy(() -> InputRows.requireColumns(source, file, List.of("sku", "prompt")))
                    .isInstanceOf(InputException.class)
                    .hasMessage(file + ":1: field 'prompt': no such column; the file has columns: sku, title, color");
        }
    }

    @Test
    void hintsAtCaseAndSeparatorMistakes() {
        Path tsv = write(dir, "p.tsv", "ID\tPrompt\na\tb\n");
        try (RowSource source = InputFiles.open(tsv, InputOptions.DEFAULTS)) {
            assertThatThrownBy(() -> InputRows.requireColumns(source, tsv, List.of("prompt")))
                    .hasMessageContaining("did you mean 'Prompt'?");
        }
        Path semicolons = write(dir, "excel.csv", "id;prompt\na;b\n");
        try (RowSource source = InputFiles.open(semicolons, InputOptions.DEFAULTS)) {
            assertThatThrownBy(() -> InputRows.requireColumns(source, semicolons, List.of("prompt")))
                    .hasMessageContaining("semicolon-separated");
        }
    }

    @Test
    void headerLineIsReportedWhereItIs() {
        Path file = write(dir, "late.csv", "\n\nid,text\na,b\n");
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS)) {
            assertThatThrownBy(() -> InputRows.requireColumns(source, file, List.of("prompt")))
                    .hasMessageStartingWith(file + ":3: field 'prompt'");
        }
    }

    @Test
    void jsonlIsCheckedPerRow() {
        Path file = write(dir, "p.jsonl", "{\"id\":\"a\",\"prompt\":\"x\"}\n{\"id\":\"b\",\"prompt\":null}\n");
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS)) {
            assertThatCode(() -> InputRows.requireColumns(source, file, List.of("prompt"))).doesNotThrowAnyException();
            InputRow first = source.next();
            assertThatCode(() -> InputRows.requireFields(first, file, List.of("prompt"))).doesNotThrowAnyException();
            InputRow second = source.next();
            assertThatThrownBy(() -> InputRows.requireFields(second, file, List.of("prompt")))
                    .isInstanceOf(InputException.class)
                    .hasMessage(file + ":2: field 'prompt': missing in this row");
        }
    }
}
