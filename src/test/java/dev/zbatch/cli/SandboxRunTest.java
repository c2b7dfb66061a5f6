package dev.zbatch.cli;

import com.opencsv.CSVReader;
import dev.zbatch.testing.Images;
import dev.zbatch.testing.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole pipeline, in process, against the embedded sandbox over loopback HTTP. */
class SandboxRunTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Path input, Path outDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--input", input.toString(), "--out", outDir.toString(),
                "--zbatch.sandbox.min-latency=20ms", "--zbatch.sandbox.max-latency=150ms",
                "--zbatch.collect.first-poll-delay=50ms", "--zbatch.collect.max-poll-interval=200ms",
                "--zbatch.defaults.width=256", "--zbatch.defaults.height=256"));
        args.addAll(List.of(extra));
        return Zbatch.execute(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void csvWithQuotedMultiLinePromptsProducesAVerifiedImagePerRow() throws Exception {
        Path input = Files.writeString(dir.resolve("prompts.csv"), """
                id,prompt,image_format
                fox,"A red fox, in snow",png
                poster,"A poster that says ""SALE""
                with a second line
                and ताज महल in Hindi",jpeg
                ,a lighthouse at dusk,webp
                """);
        Path outDir = dir.resolve("out");

        int code = run(input, outDir);

        assertThat(code).as(output()).isEqualTo(0);
        List<JsonNode> rows = Manifest.rows(outDir);
        assertThat(rows).hasSize(3);
        assertThat(rows).allSatisfy(r -> assertThat(r.get("state").asString()).isEqualTo("COMPLETED"));
        assertThat(rows.get(1).get("prompt").asString()).contains("\"SALE\"\nwith a second line\nand ताज महल");
        assertThat(rows).extracting(r -> r.get("line").asLong()).containsExactly(2L, 3L, 6L);
        assertThat(rows).extracting(r -> r.get("id").asString()).containsExactly("fox", "poster", "6");
        for (JsonNode row : rows) assertImagesAreOnDiskAsRecorded(outDir, row, 256, 256);
        assertThat(rows.get(0).get("images").get(0).get("file").asString()).isEqualTo("images/fox.png");
        assertThat(rows.get(1).get("images").get(0).get("content_type").asString()).isEqualTo("image/jpeg");
        assertThat(rows.get(2).get("images").get(0).get("file").asString())
                .isEqualTo("images/000006-a-lighthouse-at-dusk.webp");
        assertThat(csvLines(outDir)).hasSize(1 + 3);
        assertNoPartialFiles(outDir);
    }

    @Test
    void tsvKeepsQuotesAsOrdinaryCharacters() throws Exception {
        Path input = Files.writeString(dir.resolve("prompts.tsv"),
                "id\tprompt\na\tA 12\" vinyl record on a table\nb\tmoonrise over \"the\" hills\n");
        Path outDir = dir.resolve("out");

        assertThat(run(input, outDir, "--zbatch.defaults.image_format=png")).as(output()).isEqualTo(0);

        List<JsonNode> rows = Manifest.rows(outDir);
        assertThat(rows).extracting(r -> r.get("prompt").asString())
                .containsExactly("A 12\" vinyl record on a table", "moonrise over \"the\" hills");
        for (JsonNode row : rows) assertImagesAreOnDiskAsRecorded(outDir, row, 256, 256);
    }

    @Test
    void jsonlWithNumbersAndBlankLines() throws Exception {
        Path input = Files.writeString(dir.resolve("prompts.jsonl"), """
                {"id": "wide", "prompt": "a wide valley", "width": 512, "height": 256, "seed": 7}

                {"id": "tall", "prompt": "a tall tower", "width": 256, "height": 512}
                """);
        Path outDir = dir.resolve("out");

        assertThat(run(input, outDir, "--zbatch.defaults.image_format=png")).as(output()).isEqualTo(0);

        List<JsonNode> rows = Manifest.rows(outDir);
        assertThat(rows).hasSize(2);
        assertImagesAreOnDiskAsRecorded(outDir, rows.get(0), 512, 256);
        assertImagesAreOnDiskAsRecorded(outDir, rows.get(1), 256, 512);
        assertThat(rows.get(0).get("seed").asLong()).isEqualTo(7);
        assertThat(rows.get(0).get("line").asLong()).isEqualTo(1);
        assertThat(rows.get(1).get("line").asLong()).isEqualTo(3);
    }

    @Test
    void invalidRowsAreRejectedWithLineAndReasonAndNeverSent() throws Exception {
        Path input = Files.writeString(dir.resolve("prompts.csv"), """
                prompt,width,steps
                a fine prompt,,
                too wide,4096,
                "",,
                too many steps,,500
                """);
        Path outDir = dir.resolve("out");

        int code = run(input, outDir, "--zbatch.defaults.image_format=png");

        assertThat(code).as(output()).isEqualTo(3);
        List<JsonNode> rows = Manifest.rows(outDir);
        assertThat(rows).extracting(r -> r.get("state").asString())
                .containsExactly("COMPLETED", "REJECTED", "REJECTED", "REJECTED");
        assertThat(rows.get(1).get("line").asLong()).isEqualTo(3);
        assertThat(rows.get(1).get("error").asString()).contains("width").contains("4096").contains("256–2048");
        assertThat(rows.get(2).get("error").asString()).contains("prompt").contains("empty");
        assertThat(rows.get(3).get("error").asString()).contains("steps").contains("500");
        assertThat(rows.subList(1, 4)).allSatisfy(r -> {
            assertThat(r.get("request_id").isNull()).isTrue();
            assertThat(r.get("images")).isEmpty();
        });
        assertThat(submittedJobFiles(outDir)).isEqualTo(1);
        assertThat(csvLines(outDir)).hasSize(1 + 4);
    }

    @Test
    void runningAFinishedRunAgainSendsNothing() throws Exception {
        Path input = Files.writeString(dir.resolve("p.csv"), "prompt\none\ntwo\n");
        Path outDir = dir.resolve("out");
        assertThat(run(input, outDir, "--zbatch.defaults.image_format=png")).as(output()).isEqualTo(0);
        long submitted = submittedJobFiles(outDir);

        assertThat(run(input, outDir, "--zbatch.defaults.image_format=png")).as(output()).isEqualTo(0);

        assertThat(output()).contains("2 rows: 0 new, 0 changed, 2 unchanged").contains("nothing to send");
        assertThat(submittedJobFiles(outDir)).isEqualTo(submitted).isEqualTo(2);
        assertThat(Manifest.rows(outDir)).hasSize(2);
    }

    @Test
    void aMissingInputIsOneClearLineAndExit2() {
        int code = run(dir.resolve("nope.csv"), dir.resolve("out"));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nope.csv").doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aMissingPromptColumnIsExit2BeforeAnythingIsSent() throws Exception {
        Path input = Files.writeString(dir.resolve("p.csv"), "title,color\nTote,navy\n");

        int code = run(input, dir.resolve("out"));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("p.csv").contains("prompt");
    }

    @Test
    void anUnknownOptionIsExit2() {
        assertThat(Zbatch.execute(new String[]{"run", "--inptu", "x.csv"}, new PrintStream(out), new PrintStream(err)))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --inptu");
    }

    @Test
    void aTemplateBuildsPromptsFromCatalogColumns() throws Exception {
        Path input = Files.writeString(dir.resolve("catalog.csv"), "sku,title,color\nTB-1,Canvas tote,navy\n");
        Path outDir = dir.resolve("out");

        int code = run(input, outDir, "--template", "Studio photo of {title}, {color}, white background",
                "--zbatch.input.id-column=sku", "--zbatch.defaults.image_format=png");

        assertThat(code).as(output()).isEqualTo(0);
        JsonNode row = Manifest.rows(outDir).get(0);
        assertThat(row.get("prompt").asString()).isEqualTo("Studio photo of Canvas tote, navy, white background");
        assertThat(row.get("images").get(0).get("file").asString()).isEqualTo("images/TB-1.png");
    }

    @Test
    void aRunWritesTheGalleryAndReportWritesItAgain() throws Exception {
        Path input = Files.writeString(dir.resolve("p.csv"), "id,prompt,width\nfox,a red fox,\nwide,too wide,4096\n");
        Path outDir = dir.resolve("out");
        assertThat(run(input, outDir, "--zbatch.defaults.image_format=png")).as(output()).isEqualTo(3);
        Path gallery = outDir.resolve("index.html");
        assertThat(Files.readString(gallery)).contains("src=\"images/fox.png\"").contains("4096")
                .contains("1 completed, 1 rejected");
        assertThat(output()).contains("gallery:  " + gallery);

        Files.delete(gallery);
        out.reset();
        int code = Zbatch.execute(new String[]{"report", outDir.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).as(output()).isEqualTo(0);
        assertThat(output()).contains("index.html");
        assertThat(Files.readString(gallery)).contains("src=\"images/fox.png\"").contains("1 completed, 1 rejected");
    }

    @Test
    @org.junit.jupiter.api.Timeout(90)
    void aRunStoppedWithRequestsInFlightResumesThemFromTheSandboxStartedAgain() throws Exception {
        // the embedded sandbox comes back on another port: requests sent to the one before are asked for there
        StringBuilder csv = new StringBuilder("id,prompt\n");
        for (int i = 1; i <= 12; i++) csv.append("r").append(i).append(",slow prompt ").append(i).append('\n');
        Path input = Files.writeString(dir.resolve("p.csv"), csv);
        Path outDir = dir.resolve("out");
        String[] slow = {"--zbatch.sandbox.min-latency=1500ms", "--zbatch.sandbox.max-latency=2500ms",
                "--zbatch.collect.first-poll-delay=1s", "--zbatch.defaults.image_format=png"};

        List<String> first = new ArrayList<>(List.of(slow));
        first.add("--zbatch.job.max-duration=1s");
        assertThat(run(input, outDir, first.toArray(String[]::new))).as(output()).isEqualTo(ExitCode.STOPPED);
        long sentBeforeTheStop = submittedJobFiles(outDir);
        assertThat(sentBeforeTheStop).as(output()).isPositive();

        out.reset();
        err.reset();
        assertThat(run(input, outDir, slow)).as(output()).isEqualTo(0);
        assertThat(Manifest.rows(outDir)).hasSize(12)
                .allSatisfy(r -> assertThat(r.get("state").asString()).isEqualTo("COMPLETED"));
        assertThat(submittedJobFiles(outDir)).as("no request sent twice").isEqualTo(12);
        assertThat(output()).doesNotContain("poll failed");
    }

    private static void assertImagesAreOnDiskAsRecorded(Path outDir, JsonNode row, int width, int height)
            throws IOException {
        assertThat(row.get("images")).hasSize(1);
        JsonNode image = row.get("images").get(0);
        Path file = outDir.resolve(image.get("file").asString());
        BufferedImage decoded = Images.decode(file);
        assertThat(decoded.getWidth()).isEqualTo(width);
        assertThat(decoded.getHeight()).isEqualTo(height);
        assertThat(image.get("width").asInt()).isEqualTo(width);
        assertThat(Images.sha256(file)).isEqualTo(image.get("sha256").asString());
        assertThat(Files.size(file)).isEqualTo(image.get("bytes").asLong());
    }

    private static void assertNoPartialFiles(Path outDir) throws IOException {
        try (Stream<Path> files = Files.walk(outDir.resolve("images"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    private static List<String[]> csvLines(Path outDir) throws Exception {
        try (CSVReader reader = new CSVReader(Files.newBufferedReader(outDir.resolve("manifest.csv")))) {
            return reader.readAll();
        }
    }

    /** The embedded sandbox keeps one file per accepted submission beside the ledger. */
    private static long submittedJobFiles(Path outDir) throws IOException {
        try (Stream<Path> files = Files.list(outDir.resolve(".zbatch/sandbox"))) {
            return files.filter(p -> p.toString().endsWith(".json")).count();
        }
    }
}
