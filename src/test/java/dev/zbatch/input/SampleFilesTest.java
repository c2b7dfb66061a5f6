package dev.zbatch.input;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static dev.zbatch.input.TestFiles.readAll;
import static org.assertj.core.api.Assertions.assertThat;

/** The prompt files shipped in samples/ must parse (tests run from the project root). */
class SampleFilesTest {

    private static InputRow byId(List<InputRow> rows, String column, String id) {
        return rows.stream().filter(r -> id.equals(r.field(column))).findFirst().orElseThrow();
    }

    @Test
    void promptsCsv() {
        Path file = Path.of("samples/prompts.csv");
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS)) {
            InputRows.requireColumns(source, file, List.of("id", "prompt"));
            assertThat(source.columns()).containsExactly("id", "prompt", "width", "height", "seed");
        }
        List<InputRow> rows = readAll(file);
        assertThat(rows).hasSizeBetween(30, 40);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.field("id")).matches("p\\d\\d-[a-z0-9-]+");
            assertThat(r.field("prompt")).isNotBlank();
            assertThat(r.fields()).containsOnlyKeys("id", "prompt", "width", "height", "seed");
        });
        assertThat(rows).extracting(r -> r.field("id")).doesNotHaveDuplicates();

        InputRow hindi = byId(rows, "id", "p26-hindi-magazine");
        assertThat(hindi.line()).isEqualTo(27);
        assertThat(hindi.field("prompt")).contains("ड्रैगन फ्रूट").contains("\n\n").startsWith("Create a vibrant");
        long breaks = hindi.field("prompt").chars().filter(c -> c == '\n').count();
        InputRow after = byId(rows, "id", "p27-watch-macro");
        assertThat(after.line()).isEqualTo(hindi.line() + breaks + 1).isEqualTo(41);
        assertThat(after.rowNo()).isEqualTo(hindi.rowNo() + 1);

        assertThat(byId(rows, "id", "p15-quote-card").field("prompt"))
                .contains("reads \"Make it simple, but significant\"").contains("the word \"simple\" underlined");
        assertThat(byId(rows, "id", "p16-china-tea-poster").field("prompt")).contains("春茶节");
        assertThat(rows).filteredOn(r -> !r.field("seed").isEmpty()).hasSizeBetween(2, 4);
        assertThat(rows).filteredOn(r -> r.field("width").equals("768") && r.field("height").equals("1024"))
                .isNotEmpty();
        assertThat(rows).filteredOn(r -> r.field("width").equals("1024") && r.field("height").equals("768"))
                .isNotEmpty();
    }

    @Test
    void promptsTsv() {
        List<InputRow> rows = readAll(Path.of("samples/prompts.tsv"));
        assertThat(rows).hasSize(10);
        assertThat(rows).allSatisfy(r -> assertThat(r.fields()).containsOnlyKeys("id", "prompt"));
        assertThat(rows).anySatisfy(r -> assertThat(r.field("prompt")).contains("\""));
    }

    @Test
    void promptsJsonl() {
        List<InputRow> rows = readAll(Path.of("samples/prompts.jsonl"));
        assertThat(rows).hasSize(10);
        assertThat(rows).allSatisfy(r -> assertThat(r.field("prompt")).isNotBlank());
        assertThat(byId(rows, "id", "j03-portrait-violinist").fields())
                .containsEntry("width", "768").containsEntry("height", "1024").containsEntry("seed", "7");
        assertThat(byId(rows, "id", "j08-honey").fields()).doesNotContainKey("seed");
    }

    @Test
    void catalogCsvHasNoPromptColumn() {
        Path file = Path.of("samples/catalog.csv");
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS)) {
            assertThat(source.columns()).containsExactly("sku", "title", "color", "material");
        }
        List<InputRow> rows = readAll(file);
        assertThat(rows).hasSize(12);
        assertThat(byId(rows, "sku", "SKU-1010").field("title")).isEqualTo("Running Shorts, 5\" inseam");
    }
}
