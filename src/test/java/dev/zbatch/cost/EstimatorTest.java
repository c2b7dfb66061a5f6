package dev.zbatch.cost;

import dev.zbatch.testing.TestProperties;
import dev.zbatch.input.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EstimatorTest {

    @TempDir
    Path dir;

    @Test
    void templateRowsFromJsonl() throws Exception {
        Path input = Files.writeString(dir.resolve("p.jsonl"), """
                {"sku": "1", "title": "mug", "seed": 3}
                {"sku": "2", "title": "mug", "seed": 3}
                {"sku": "3", "title": ""}
                {"sku": "4", "title": "cup", "num_images": 4}
                """);
        Estimate e = Estimator.estimate(TestProperties.of("zbatch.input.path", input.toString(),
                "zbatch.input.template", "Studio photo of {title}", "zbatch.input.id-column", "sku",
                "zbatch.provider", "pixazo", "zbatch.model", "z-image-base",
                "zbatch.output.dir", dir.resolve("out").toString()));

        assertThat(e.rows()).isEqualTo(4);
        assertThat(e.validRows()).isEqualTo(3);
        assertThat(e.rejectedRows()).isEqualTo(1);
        assertThat(e.firstRejections()).singleElement().satisfies(r -> {
            assertThat(r.line()).isEqualTo(3);
            assertThat(r.id()).isEqualTo("3");
            assertThat(r.field()).isEqualTo("title");
        });
        assertThat(e.images()).isEqualTo(6);
        assertThat(e.duplicateRows()).isEqualTo(1);
        assertThat(e.duplicateImages()).isEqualTo(1);
        assertThat(e.costUsd()).isEqualByComparingTo("0.05");
        assertThat(e.duplicateSavingsUsd()).isEqualByComparingTo("0.01");
        assertThat(e.requests()).isEqualTo(2);
        assertThat(e.rejectionsFile()).isEqualTo(dir.resolve("out").toAbsolutePath().resolve("estimate-rejected.csv"));
        assertThat(dir.resolve("out").resolve(".zbatch")).doesNotExist();
    }

    @Test
    void invalidUtf8StopsTheEstimateAtItsLine() throws Exception {
        Path input = dir.resolve("p.csv");
        Files.write(input, new byte[]{'p', 'r', 'o', 'm', 'p', 't', '\n', 'a', '\n', 'b', (byte) 0xC3, '(', '\n'});

        assertThatThrownBy(() -> Estimator.estimate(TestProperties.of("zbatch.input.path", input.toString(),
                "zbatch.output.dir", dir.resolve("out").toString())))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.line()).isEqualTo(3));
    }

    /** Not a timing test: a file too big to want in memory goes through, and the figures add up. */
    @Test
    void twoHundredThousandRows() throws Exception {
        Path input = dir.resolve("big.csv");
        int rows = 200_000;
        try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            w.write("id,prompt,seed,width\n");
            for (int i = 0; i < rows; i++) {
                // every 100th row repeats the id of the row before; every 50th has a fixed seed shared with the
                // row 50 before it (a duplicate request, except the first); every 1000th is too wide
                String id = i % 100 == 99 ? "sku-" + (i - 1) : "sku-" + i;
                String prompt = i % 50 == 0 ? "a fixed product" : "product number " + i + ", studio light";
                String seed = i % 50 == 0 ? "42" : "";
                String width = i % 1000 == 1 ? "4096" : "";
                w.write(id + ",\"" + prompt + "\"," + seed + "," + width + "\n");
            }
        }

        Estimate e = Estimator.estimate(TestProperties.of("zbatch.input.path", input.toString(),
                "zbatch.provider", "segmind", "zbatch.output.dir", dir.resolve("out").toString()));

        long repeatedIds = rows / 100;
        long tooWide = rows / 1000;
        long fixedSeedRows = rows / 50;
        assertThat(e.rows()).isEqualTo(rows);
        assertThat(e.rejectedRows()).isEqualTo(repeatedIds + tooWide);
        assertThat(e.validRows()).isEqualTo(rows - repeatedIds - tooWide);
        assertThat(e.duplicateRows()).isEqualTo(fixedSeedRows - 1);
        assertThat(e.costUsd()).isEqualByComparingTo(new BigDecimal("0.031")
                .multiply(BigDecimal.valueOf(e.validRows() - e.duplicateRows())));
        assertThat(Files.readAllLines(e.rejectionsFile())).hasSize(1 + (int) e.rejectedRows());
        assertThat(e.firstRejections()).hasSize(Estimate.FIRST_REJECTIONS);
    }
}
