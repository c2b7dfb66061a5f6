package dev.zbatch.cli;

import com.opencsv.CSVReader;
import dev.zbatch.testing.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code estimate} and {@code run --dry-run}: the dry run, through the command line, on real files. */
class EstimateCommandTest {

    /**
     * 10 rows. Line 3: width out of range; line 4: empty prompt; line 5: repeats id 'a'; line 6: same request as
     * line 2 with seed 7 (a duplicate); lines 7 and 9: the same prompt again, random seed (not duplicates);
     * line 8: two images.
     */
    static final String TEN_ROWS = """
            id,prompt,width,seed,num_images
            a,a red fox,,7,
            b,a blue bird,100,,
            c,,,,
            a,a green frog,,,
            d,a red fox,,7,
            e,a red fox,,,
            f,a lighthouse,,,2
            g,a red fox,,-1,
            h,a tree,,,
            i,a cat,,,
            """;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int zbatch(String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        return Zbatch.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path tenRows() throws Exception {
        return Files.writeString(dir.resolve("prompts.csv"), TEN_ROWS);
    }

    @Test
    void saysWhichRowsAskForASizeTheModelWillProbablyRound() throws Exception {
        Path input = Files.writeString(dir.resolve("sizes.csv"), """
                prompt,width,height
                a lamp,1024,1024
                a chair,1000,1000
                a desk,1000,1000
                """);

        int code = zbatch("estimate", "--input", input.toString(), "--out", dir.resolve("out").toString(),
                "--provider", "segmind", "--json");

        assertThat(code).as(stdout() + stderr()).isEqualTo(0);
        assertThat(JSON.readTree(stdout()).get("rows_with_sizes_off_the_grid").asLong()).isEqualTo(2);
        zbatch("estimate", "--input", input.toString(), "--out", dir.resolve("out").toString(), "--provider", "segmind");
        assertThat(stdout()).contains("sizes:    2 rows ask for a size off segmind z-image-turbo's grid of 16 pixels, "
                + "and will probably get a smaller image (line 3: 1000x1000 → 992x992, line 4: 1000x1000 → 992x992)");
    }

    @Test
    void countsRowsRejectionsImagesDuplicatesAndCostOfAKnownFile() throws Exception {
        Path input = tenRows();
        Path outDir = dir.resolve("out");

        int code = zbatch("estimate", "--input", input.toString(), "--out", outDir.toString(), "--provider", "pixazo");

        assertThat(code).as(stdout() + stderr()).isEqualTo(0);
        String text = stdout();
        assertThat(text).contains("rows:     10: 7 valid, 3 rejected");
        assertThat(text).contains("line 3, field 'width': 100 is outside 256–2048 for pixazo z-image-turbo");
        assertThat(text).contains("line 4, field 'prompt': the prompt is empty");
        assertThat(text).contains("line 5, field 'id': duplicate id 'a' (first used on line 2)");
        assertThat(text).contains("listed in " + outDir.toAbsolutePath().resolve("estimate-rejected.csv"));
        assertThat(text).contains("images:   8; 1 of them by 1 row that repeats an earlier row's request and fixed "
                + "seed: copied, not generated (saves $0.008)");
        assertThat(text).contains("price:    $0.008 per image: pixazo z-image-turbo's published price");
        assertThat(text).contains("cost:     $0.056 for 7 images");
        // 2 s to start; 6 requests at 30/min (0.5/s; the window allows 16 / 10 s = 1.6/s): 6 / 0.5 + 10 = 22 s
        assertThat(text).contains("time:     about 24 s for 6 requests, at 30 submissions/min, window 16, "
                + "typical latency 10 s (Pixazo publishes none: an assumption");
        assertThat(text).contains("and about 2 s for zbatch to start");

        assertThat(readCsv(outDir.resolve("estimate-rejected.csv"))).containsExactly(
                new String[]{"line", "id", "field", "reason"},
                new String[]{"3", "b", "width", "100 is outside 256–2048 for pixazo z-image-turbo"},
                new String[]{"4", "c", "prompt", "the prompt is empty"},
                new String[]{"5", "a", "id", "duplicate id 'a' (first used on line 2)"});
        assertNothingButTheRejectionsFile(outDir);
    }

    @Test
    void jsonGivesTheSameFiguresAsOneObject() throws Exception {
        Path input = tenRows();
        Path outDir = dir.resolve("out");

        int code = zbatch("estimate", "--input", input.toString(), "--out", outDir.toString(), "--provider", "pixazo",
                "--json");

        assertThat(code).as(stderr()).isEqualTo(0);
        assertThat(stdout().strip().lines()).hasSize(1);
        JsonNode json = JSON.readTree(stdout());
        assertThat(json.get("job").asString()).isEqualTo("zbatch");
        assertThat(json.get("input").asString()).isEqualTo(input.toAbsolutePath().toString());
        assertThat(json.get("provider").asString()).isEqualTo("pixazo");
        assertThat(json.get("model").asString()).isEqualTo("z-image-turbo");
        assertThat(json.get("rows").asLong()).isEqualTo(10);
        assertThat(json.get("valid_rows").asLong()).isEqualTo(7);
        assertThat(json.get("rejected_rows").asLong()).isEqualTo(3);
        assertThat(json.get("rejections")).hasSize(3);
        JsonNode first = json.get("rejections").get(0);
        assertThat(first.get("line").asLong()).isEqualTo(3);
        assertThat(first.get("id").asString()).isEqualTo("b");
        assertThat(first.get("field").asString()).isEqualTo("width");
        assertThat(first.get("reason").asString()).startsWith("100 is outside");
        assertThat(json.get("rejections").get(2).get("reason").asString())
                .isEqualTo("duplicate id 'a' (first used on line 2)");
        assertThat(json.get("rejections_file").asString())
                .isEqualTo(outDir.toAbsolutePath().resolve("estimate-rejected.csv").toString());
        assertThat(json.get("images").asLong()).isEqualTo(8);
        assertThat(json.get("duplicate_rows").asLong()).isEqualTo(1);
        assertThat(json.get("duplicate_images").asLong()).isEqualTo(1);
        assertThat(json.get("duplicate_savings_usd").decimalValue()).isEqualByComparingTo("0.008");
        assertThat(json.get("price_per_image_usd").decimalValue()).isEqualByComparingTo("0.008");
        assertThat(json.get("price_source").asString()).contains("published price");
        assertThat(json.get("price_is_estimate").asBoolean()).isFalse();
        assertThat(json.get("cost_usd").decimalValue()).isEqualByComparingTo(new BigDecimal("0.056"));
        assertThat(json.get("requests").asLong()).isEqualTo(6);
        assertThat(json.get("submits_per_minute").asInt()).isEqualTo(30);
        assertThat(json.get("window").asInt()).isEqualTo(16);
        assertThat(json.get("typical_latency_s").decimalValue()).isEqualByComparingTo("10");
        assertThat(json.get("time_s").decimalValue()).isEqualByComparingTo("24");
        assertNothingButTheRejectionsFile(outDir);
    }

    @Test
    void runWithDryRunIsTheEstimate() throws Exception {
        Path input = tenRows();
        Path outDir = dir.resolve("out");
        String[] common = {"--input", input.toString(), "--out", outDir.toString(), "--provider", "pixazo"};

        assertThat(zbatch(concat("estimate", common))).isEqualTo(0);
        String estimate = stdout();
        assertThat(zbatch(concat("run", concat("--dry-run", common)))).as(stderr()).isEqualTo(0);

        assertThat(stdout()).isEqualTo(estimate);
        assertThat(zbatch(concat("run", concat("--json", concat("--dry-run", common))))).isEqualTo(0);
        assertThat(JSON.readTree(stdout()).get("cost_usd").decimalValue()).isEqualByComparingTo("0.056");
        assertNothingButTheRejectionsFile(outDir);
    }

    /** The estimate's rejections are the run's: same lines, same reasons (the ledger decides repeated ids). */
    @Test
    void rejectsWhatTheRunRejects() throws Exception {
        Path input = tenRows();
        Path estimateOut = dir.resolve("estimate");
        Path runOut = dir.resolve("run");
        String[] sandbox = {"--zbatch.sandbox.api=pixazo", "--zbatch.sandbox.min-latency=10ms",
                "--zbatch.sandbox.max-latency=50ms", "--zbatch.collect.first-poll-delay=50ms",
                "--zbatch.collect.max-poll-interval=200ms", "--zbatch.defaults.width=256",
                "--zbatch.defaults.height=256"};

        assertThat(zbatch(concat("estimate", concat("--json", concat("--input", concat(input.toString(),
                concat("--out", concat(estimateOut.toString(), sandbox)))))))).as(stderr()).isEqualTo(0);
        JsonNode estimate = JSON.readTree(stdout());
        assertThat(zbatch(concat("run", concat("--input", concat(input.toString(),
                concat("--out", concat(runOut.toString(), sandbox))))))).as(stderr()).isEqualTo(3);

        List<String> runRejections = new ArrayList<>();
        for (JsonNode row : Manifest.rows(runOut)) {
            if (row.get("state").asString().equals("REJECTED")) {
                runRejections.add(row.get("line").asLong() + " " + row.get("error").asString());
            }
        }
        List<String> estimated = new ArrayList<>();
        for (JsonNode r : estimate.get("rejections")) {
            estimated.add(r.get("line").asLong() + " field '" + r.get("field").asString() + "': "
                    + r.get("reason").asString());
        }
        assertThat(estimated).isEqualTo(runRejections);
        assertThat(estimate.get("price_source").asString()).startsWith("sandbox (nothing is charged)");
        long runImages;
        try (Stream<Path> files = Files.list(runOut.resolve("images"))) {
            runImages = files.count();
        }
        assertThat(estimate.get("images").asLong()).isEqualTo(runImages);
    }

    @Test
    void segmindPriceIsSaidToBeAnEstimateAndNoKeyIsNeeded() throws Exception {
        Path input = Files.writeString(dir.resolve("p.csv"), "prompt\na fox\na bird\n");
        Path outDir = dir.resolve("out");

        int code = zbatch("estimate", "--input", input.toString(), "--out", outDir.toString(), "--provider", "segmind");

        assertThat(code).as(stderr()).isEqualTo(0);
        assertThat(stdout()).contains("price:    $0.031 per image, an ESTIMATE: ")
                .contains("estimate from its model page")
                .contains("cost:     about $0.062 for 2 images")
                .contains("at 50 submissions/min, window 16, typical latency 6.7 s (Segmind's model page)");
        assertThat(zbatch("estimate", "--input", input.toString(), "--out", outDir.toString(), "--provider",
                "segmind", "--json")).isEqualTo(0);
        JsonNode json = JSON.readTree(stdout());
        assertThat(json.get("price_is_estimate").asBoolean()).isTrue();
        assertThat(json.get("rejections_file").isNull()).isTrue();
        assertThat(json.get("rejections")).isEmpty();
        assertThat(outDir.resolve(".zbatch")).doesNotExist();
        assertThat(outDir.resolve("estimate-rejected.csv")).doesNotExist();
    }

    @Test
    void readsTheJobSpecLikeRun() throws Exception {
        Path input = tenRows();
        Path spec = Files.writeString(dir.resolve("catalog.yml"), """
                zbatch:
                  input:
                    path: %s
                  provider: pixazo
                  cost:
                    price-per-image: 0.01
                    typical-latency: 2s
                  providers:
                    pixazo:
                      submits-per-minute: 0
                  output:
                    dir: %s
                """.formatted(input, dir.resolve("out")));

        int code = zbatch("estimate", spec.toString(), "--json", "--zbatch.submit.window=4");

        assertThat(code).as(stderr()).isEqualTo(0);
        JsonNode json = JSON.readTree(stdout());
        assertThat(json.get("job").asString()).isEqualTo("catalog");
        assertThat(json.get("cost_usd").decimalValue()).isEqualByComparingTo("0.07");
        assertThat(json.get("price_source").asString()).isEqualTo("zbatch.cost.price-per-image");
        assertThat(json.get("submits_per_minute").isNull()).isTrue();
        assertThat(json.get("window").asInt()).isEqualTo(4);
        // 2 s to start; no rate limit: 4 in flight / 2 s = 2 per second; 6 requests take 3 s + 2 s
        assertThat(json.get("time_s").decimalValue()).isEqualByComparingTo("7");
        assertThat(dir.resolve("out").resolve(".zbatch")).doesNotExist();
    }

    @Test
    void aRaggedRowIsCountedAsRejectedWithItsLine() throws Exception {
        Path input = Files.writeString(dir.resolve("ragged.csv"), "id,prompt\na,a fox\nb,a bird,extra\nc,a cat\n");
        Path outDir = dir.resolve("out");

        int code = zbatch("estimate", "--input", input.toString(), "--out", outDir.toString(), "--json");

        assertThat(code).as(stderr()).isEqualTo(0);
        assertThat(stdout()).contains("\"rejected_rows\":1").contains("ragged row").contains("\"line\":3");
        assertThat(outDir.resolve(".zbatch")).doesNotExist();
    }

    @Test
    void anUnbalancedQuoteStopsTheEstimateAndLeavesNoHalfRejectionsFile() throws Exception {
        Path input = Files.writeString(dir.resolve("quote.csv"), "id,prompt\na,\nb,\"never closed\n");
        Path outDir = dir.resolve("out");

        assertThat(zbatch("estimate", "--input", input.toString(), "--out", outDir.toString())).isEqualTo(2);

        assertThat(stderr()).contains("quote.csv:3:").contains("unbalanced");
        if (Files.exists(outDir)) {
            try (Stream<Path> files = Files.list(outDir)) {
                assertThat(files).isEmpty();
            }
        }
    }

    @Test
    void unusableConfigurationIsExit2() throws Exception {
        Path input = tenRows();
        assertThat(zbatch("estimate", "--input", input.toString(), "--provider", "nowhere")).isEqualTo(2);
        assertThat(stderr()).contains("cannot use zbatch.provider=nowhere (on the command line): expected one of "
                + "sandbox, segmind, pixazo");
        assertThat(zbatch("estimate", "--input", input.toString(), "--provider", "segmind", "--model", "z-image-base"))
                .isEqualTo(2);
        assertThat(stderr()).contains("zbatch.model");
        assertThat(zbatch("estimate", "--input", input.toString(), "--zbatch.defaults.width=9999")).isEqualTo(2);
        assertThat(stderr()).contains("zbatch.defaults.width");
        assertThat(zbatch("estimate", "--input", dir.resolve("missing.csv").toString())).isEqualTo(2);
        assertThat(stderr()).contains("missing.csv").contains("file not found");
        assertThat(zbatch("run", "--input", input.toString(), "--json")).isEqualTo(2);
        assertThat(stderr()).contains("--json");
        assertThat(zbatch("status", "out", "--dry-run")).isEqualTo(2);
    }

    @Test
    void aRerunWithoutRejectionsRemovesTheEarlierRejectionsFile() throws Exception {
        Path outDir = dir.resolve("out");
        Path bad = Files.writeString(dir.resolve("bad.csv"), "id,prompt\nx,\ny,fox\n");
        assertThat(zbatch("estimate", "--input", bad.toString(), "--out", outDir.toString())).isEqualTo(0);
        assertThat(outDir.resolve("estimate-rejected.csv")).exists();

        Path good = Files.writeString(dir.resolve("good.csv"), "prompt\nfox\n");
        assertThat(zbatch("estimate", "--input", good.toString(), "--out", outDir.toString())).isEqualTo(0);

        assertThat(outDir.resolve("estimate-rejected.csv")).doesNotExist();
    }

    private static void assertNothingButTheRejectionsFile(Path outDir) throws Exception {
        assertThat(outDir.resolve(".zbatch")).doesNotExist();
        try (Stream<Path> files = Files.list(outDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("estimate-rejected.csv");
        }
    }

    private static List<String[]> readCsv(Path file) throws Exception {
        try (Reader reader = Files.newBufferedReader(file); CSVReader csv = new CSVReader(reader)) {
            return csv.readAll();
        }
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
