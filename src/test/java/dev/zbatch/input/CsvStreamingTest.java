package dev.zbatch.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A large file is read through row by row; line numbers stay right to the end. */
class CsvStreamingTest {

    private static final int ROWS = 200_000;

    @TempDir
    Path dir;

    @Test
    void readsTwoHundredThousandRows() throws Exception {
        Path file = dir.resolve("big.csv");
        long expectedLastLine;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("id,prompt,seed\r\n");
            long line = 1;
            expectedLastLine = 0;
            for (int i = 1; i <= ROWS; i++) {
                line++;
                expectedLastLine = line;
                if (i % 1000 == 0) {   // now and then a two-line quoted prompt with a comma and quotes
                    w.write("r" + i + ",\"a \"\"quoted\"\", two-line\r\nprompt " + i + "\"," + i + "\r\n");
                    line++;
                } else {
                    w.write("r" + i + ",prompt number " + i + "," + i + "\r\n");
                }
            }
        }

        long count = 0;
        InputRow last = null;
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS)) {
            for (InputRow row = source.next(); row != null; row = source.next()) {
                count++;
                last = row;
            }
        }
        assertThat(count).isEqualTo(ROWS);
        assertThat(last.rowNo()).isEqualTo(ROWS);
        assertThat(last.field("id")).isEqualTo("r" + ROWS);
        assertThat(last.field("prompt")).isEqualTo("a \"quoted\", two-line\nprompt " + ROWS);
        assertThat(last.line()).isEqualTo(expectedLastLine).isEqualTo(1 + ROWS + ROWS / 1000 - 1);
    }
}
