package dev.zbatch.cli;

import dev.zbatch.testing.Images;
import dev.zbatch.testing.Manifest;
import dev.zbatch.testing.ZbatchRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The budget cap holds exactly, resumes after a raise, and an identical fixed-seed request is paid once. */
class BudgetAndDuplicatesTest {

    @TempDir
    Path dir;

    private ZbatchRun zbatch;

    private int run(Path input, String... extra) {
        zbatch = ZbatchRun.onTheSandbox(input, dir.resolve("out"))
                .with("--zbatch.defaults.image_format=png", "--zbatch.cost.price-per-image=0.25");
        return zbatch.execute("run", extra);
    }

    private String output() {
        return zbatch.output();
    }

    @Test
    void aCapThatAllowsKImagesSendsExactlyKThenARaisedCapFinishesWithoutSendingAnyRowTwice() throws Exception {
        Path input = Files.write(dir.resolve("p.csv"), IntStream.rangeClosed(0, 10)
                .mapToObj(i -> i == 0 ? "prompt" : "budget prompt " + i).toList());

        int first = run(input, "--max-cost", "1.00"); // 4 images at $0.25

        assertThat(first).as(output()).isEqualTo(4);
        assertThat(output()).contains("budget cap of $1.00").contains("--max-cost");
        List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
        assertThat(rows).hasSize(10); // every row is in the manifest, the unsent ones SKIPPED with the reason
        assertThat(rows.stream().filter(r -> r.get("state").asString().equals("COMPLETED"))).hasSize(4);
        assertThat(rows.stream().filter(r -> r.get("state").asString().equals("SKIPPED")))
                .hasSize(6).allSatisfy(r -> assertThat(r.get("error").asString()).contains("budget cap"));
        assertThat(sandboxSubmissions()).isEqualTo(4);
        assertThat(spent(rows)).isEqualByComparingTo("1.00");

        int second = run(input, "--max-cost", "10");

        assertThat(second).as(output()).isEqualTo(0);
        rows = Manifest.rows(dir.resolve("out"));
        assertThat(rows).hasSize(10).allSatisfy(r -> assertThat(r.get("state").asString()).isEqualTo("COMPLETED"));
        assertThat(sandboxSubmissions()).isEqualTo(10);
        assertThat(spent(rows)).isEqualByComparingTo("2.50");
    }

    @Test
    void aRunStartedAgainAtTheSameCapSendsNothingMore() throws Exception {
        Path input = Files.write(dir.resolve("p.csv"), IntStream.rangeClosed(0, 5)
                .mapToObj(i -> i == 0 ? "prompt" : "capped prompt " + i).toList());
        assertThat(run(input, "--max-cost", "0.50")).as(output()).isEqualTo(4);

        assertThat(run(input, "--max-cost", "0.50")).as(output()).isEqualTo(4);

        assertThat(sandboxSubmissions()).isEqualTo(2);
    }

    @Test
    void identicalRequestsWithAFixedSeedAreGeneratedOnceAndCopied() throws Exception {
        Path input = Files.writeString(dir.resolve("p.csv"), """
                id,prompt,seed
                first,a red fox in the snow,7
                second,a red fox in the snow,7
                random-a,a red fox in the snow,-1
                random-b,a red fox in the snow,-1
                """);

        int code = run(input);

        assertThat(code).as(output()).isEqualTo(0);
        List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
        assertThat(rows).allSatisfy(r -> assertThat(r.get("state").asString()).isEqualTo("COMPLETED"));
        assertThat(sandboxSubmissions()).isEqualTo(3); // the two random-seed rows are never deduplicated
        JsonNode copy = rows.get(1);
        assertThat(copy.get("copied_from_row").asLong()).isEqualTo(1);
        assertThat(copy.get("seed").asLong()).isEqualTo(7);
        assertThat(new BigDecimal(copy.get("cost_usd").asString())).isZero();
        assertThat(copy.get("images").get(0).get("file").asString()).isEqualTo("images/second.png");
        // the same picture; the file differs only in the row id written into it (EmbeddedMetadataRunTest)
        assertThat(Images.pixels(dir.resolve("out/images/second.png")))
                .isEqualTo(Images.pixels(dir.resolve("out/images/first.png")));
        assertThat(Images.sha256(dir.resolve("out/images/second.png")))
                .isEqualTo(copy.get("images").get(0).get("sha256").asString());
        assertThat(spent(rows)).isEqualByComparingTo("0.75");
    }

    private static BigDecimal spent(List<JsonNode> rows) {
        return rows.stream().map(r -> r.get("cost_usd"))
                .filter(c -> c != null && !c.isNull())
                .map(c -> new BigDecimal(c.asString()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private long sandboxSubmissions() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("out/.zbatch/sandbox"))) {
            return files.filter(p -> p.toString().endsWith(".json")).count();
        }
    }
}
