package dev.zbatch.input;

import dev.zbatch.config.InputFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The text files Excel saves, read with the option that fits each, or refused with a message that names it. */
class ExcelExportsTest {

    @TempDir
    Path dir;

    private static List<String> prompts(Path file, InputOptions options) {
        List<String> prompts = new ArrayList<>();
        try (RowSource source = InputFiles.open(file, options)) {
            for (InputRow row = source.next(); row != null; row = source.next()) prompts.add(row.fields().get("prompt"));
        }
        return prompts;
    }

    private Path write(String name, String text, Charset charset, byte... bom) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(bom);
        bytes.write(text.getBytes(charset));
        return Files.write(dir.resolve(name), bytes.toByteArray());
    }

    @Test
    void aWindowsCsvIsRefusedNamingTheEncodingItReadsAsAndReadWhenItIsNamed() throws Exception {
        Path file = write("catalog.csv", "id,prompt\nm1,Café crème mug\nm2,a plain mug\n",
                Charset.forName("windows-1252"));

        assertThatThrownBy(() -> prompts(file, InputOptions.DEFAULTS))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.line()).isEqualTo(2))
                .hasMessageContaining("not valid UTF-8 (bad byte 0xE9")
                .hasMessageContaining("the bytes read as Windows-1252 (a CSV saved by Excel on Windows): run with "
                        + "--encoding windows-1252 (zbatch.input.encoding)");
        assertThat(prompts(file, new InputOptions(null, "windows-1252", null, null)))
                .containsExactly("Café crème mug", "a plain mug");
    }

    @Test
    void unicodeTextIsReadByItsByteOrderMark() throws Exception {
        Path file = write("catalog.txt", "id\tprompt\nm1\tCafé crème mug\n", StandardCharsets.UTF_16LE,
                (byte) 0xFF, (byte) 0xFE);

        assertThat(prompts(file, InputOptions.DEFAULTS.withFormat(InputFormat.TSV))).containsExactly("Café crème mug");
    }

    @Test
    void aSemicolonCsvIsReadWithItsDelimiterNamedOrFoundAndOtherwiseTheHintNamesTheFlag() throws Exception {
        Path file = write("catalog.csv", "id;prompt;color\nm1;\"a mug; blue\";blue\nm2;a lamp;red\n",
                StandardCharsets.UTF_8);

        assertThat(prompts(file, new InputOptions(null, "auto", ";", null))).containsExactly("a mug; blue", "a lamp");
        assertThat(prompts(file, new InputOptions(null, "auto", "auto", null))).containsExactly("a mug; blue", "a lamp");
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS)) {
            assertThatThrownBy(() -> InputRows.requireColumns(source, file, List.of("prompt")))
                    .hasMessageContaining("run with --delimiter ';' (zbatch.input.delimiter), or --delimiter auto");
        }
    }

    @Test
    void anEncodingJavaDoesNotKnowIsAConfigurationError() throws Exception {
        Path file = write("catalog.csv", "prompt\na mug\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> prompts(file, new InputOptions(null, "latin-42", null, null)))
                .hasMessageContaining("zbatch.input.encoding: 'latin-42' is not an encoding Java knows");
    }
}
