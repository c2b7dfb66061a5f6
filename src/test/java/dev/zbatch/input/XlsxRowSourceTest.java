package dev.zbatch.input;

import dev.zbatch.config.InputFormat;
import dev.zbatch.testing.Workbooks;
import dev.zbatch.testing.Workbooks.Styled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XlsxRowSourceTest {

    @TempDir
    Path dir;

    private Path workbook(List<Object>... rows) throws Exception {
        return Workbooks.write(dir.resolve("products.xlsx"), Arrays.asList(rows).iterator());
    }

    private static List<InputRow> read(Path file, InputOptions options) {
        List<InputRow> rows = new ArrayList<>();
        try (RowSource source = InputFiles.open(file, options)) {
            for (InputRow row = source.next(); row != null; row = source.next()) rows.add(row);
        }
        return rows;
    }

    @Test
    void cellsReadAsExcelShowsThemWithSheetRowNumbersAsLines() throws Exception {
        Path file = workbook(
                List.of("sku", "prompt", "price", "launch", "share"),
                List.of(1001, "Café crème mug", new Styled(12.5, "0.00"), new Styled(46000, "yyyy-mm-dd"),
                        new Styled(0.25, "0%")),
                Arrays.asList(null, null, null, null, null),
                List.of("A-7", "a lamp", 3, new Styled(46001, "d mmm yyyy"), new Styled(0.5, "General")));

        List<InputRow> rows = read(file, InputOptions.DEFAULTS);

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).line()).isEqualTo(2);
        assertThat(rows.get(0).fields()).containsEntry("sku", "1001").containsEntry("prompt", "Café crème mug")
                .containsEntry("price", "12.50").containsEntry("launch", "2025-12-09").containsEntry("share", "25%");
        assertThat(rows.get(1).line()).as("the empty row 3 is skipped").isEqualTo(4);
        assertThat(rows.get(1).fields()).containsEntry("sku", "A-7").containsEntry("price", "3")
                .containsEntry("launch", "10 Dec 2025").containsEntry("share", "0.5");
    }

    @Test
    void aSheetIsChosenByNameAndAMissingOneIsNamedWithTheOnesThereAre() throws Exception {
        Path file = workbook(List.of("prompt"), List.of("a lamp"));

        assertThat(read(file, new InputOptions(null, "auto", null, "Products"))).hasSize(1);
        assertThatThrownBy(() -> read(file, new InputOptions(null, "auto", null, "Sheet2")))
                .hasMessageContaining("no sheet named 'Sheet2' (the sheets are Products; zbatch.input.sheet)");
    }

    @Test
    void olderAndOtherWorkbooksAreAskedForAsXlsxOrCsv() throws Exception {
        Path xls = Files.write(dir.resolve("products.xls"), new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0});
        Path ods = Files.write(dir.resolve("products.ods"), new byte[] {'P', 'K', 3, 4});
        Path renamed = Files.copy(workbook(List.of("prompt"), List.of("a lamp")), dir.resolve("products.dat"));

        assertThatThrownBy(() -> read(xls, InputOptions.DEFAULTS)).hasMessageContaining("save it as .xlsx or CSV");
        assertThatThrownBy(() -> read(ods, InputOptions.DEFAULTS)).hasMessageContaining("save it as .xlsx or CSV");
        assertThatThrownBy(() -> read(renamed, InputOptions.DEFAULTS)).hasMessageContaining("name it .xlsx");
        assertThat(read(renamed, InputOptions.DEFAULTS.withFormat(InputFormat.XLSX))).hasSize(1);
    }
}
