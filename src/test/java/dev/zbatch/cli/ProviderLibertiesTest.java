package dev.zbatch.cli;

import com.opencsv.CSVReader;
import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.testing.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A provider that answers with another size or format than asked: the paid images are kept, and say so. */
class ProviderLibertiesTest {

    private static final int ROWS = 3;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int run(SandboxServer sandbox, String... extra) throws Exception {
        Files.write(dir.resolve("p.csv"), IntStream.rangeClosed(0, ROWS)
                .mapToObj(i -> i == 0 ? "id,prompt" : "p" + i + ",a red lamp number " + i).toList());
        List<String> args = new ArrayList<>(List.of("run", "--input", dir.resolve("p.csv").toString(),
                "--out", dir.resolve("out").toString(), "--provider", "segmind",
                "--zbatch.providers.segmind.base-url=" + sandbox.baseUrl(),
                "--zbatch.providers.segmind.api-key=liberties-test", "--zbatch.providers.segmind.submits-per-minute=0",
                "--zbatch.collect.first-poll-delay=50ms", "--zbatch.progress.mode=off"));
        args.addAll(List.of(extra));
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        return Zbatch.execute(args.toArray(String[]::new), print, print);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static SandboxServer sandbox(int roundSizesTo, String answerFormat) {
        return SandboxServer.start(SandboxSettings.defaults().withLatency(Duration.ofMillis(10), Duration.ofMillis(30))
                .withLiberties(roundSizesTo, answerFormat));
    }

    private List<String[]> csv() throws Exception {
        try (CSVReader reader = new CSVReader(Files.newBufferedReader(dir.resolve("out/manifest.csv")))) {
            return reader.readAll();
        }
    }

    @Test
    void aSizeRoundedToTheModelsGridIsKeptOnceAndRecordedAsAskedAndGot() throws Exception {
        try (SandboxServer rounding = sandbox(16, null)) {
            int code = run(rounding, "--zbatch.defaults.width=1000", "--zbatch.defaults.height=1000",
                    "--zbatch.defaults.image_format=png");

            assertThat(code).as(output()).isZero();
            assertThat(output()).as("said before sending").contains("zbatch: 3 rows ask for a size off segmind "
                    + "z-image-turbo's grid of 16 pixels, and will probably get a smaller image (line 2: 1000x1000 → "
                    + "992x992");
            List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
            assertThat(rows).hasSize(ROWS).allSatisfy(row -> {
                assertThat(row.get("state").asString()).isEqualTo("COMPLETED");
                JsonNode image = row.get("images").get(0);
                assertThat(image.get("mismatch").asString()).isEqualTo("asked 1000x1000, got 992x992");
                assertThat(image.get("width").asInt()).isEqualTo(992);
                assertThat(image.get("file").asString()).endsWith(".png");
            });
            for (JsonNode row : rows) {
                BufferedImage onDisk = ImageIO.read(dir.resolve("out").resolve(row.get("images").get(0)
                        .get("file").asString()).toFile());
                assertThat(onDisk.getWidth()).isEqualTo(992);
                assertThat(onDisk.getHeight()).isEqualTo(992);
            }
            assertThat(rounding.stats().imageDownloads()).as("one download per image").isEqualTo(ROWS);
            List<String[]> csv = csv();
            int mismatch = Arrays.asList(csv.get(0)).indexOf("mismatch");
            assertThat(csv.subList(1, csv.size())).extracting(line -> line[mismatch])
                    .containsOnly("asked 1000x1000, got 992x992");
            assertThat(output()).contains("differ:   3 images are another size or format than asked, kept");
            assertThat(Files.readString(dir.resolve("out/index.html")))
                    .contains("image 1: asked 1000x1000, got 992x992").contains("3 differ from what was asked");
        }
    }

    @Test
    void anotherFormatThanAskedIsWrittenUnderItsOwnExtension() throws Exception {
        try (SandboxServer jpegOnly = sandbox(0, "jpeg")) {
            int code = run(jpegOnly, "--zbatch.defaults.width=256", "--zbatch.defaults.height=256",
                    "--zbatch.defaults.image_format=webp");

            assertThat(code).as(output()).isZero();
            assertThat(Manifest.rows(dir.resolve("out"))).hasSize(ROWS).allSatisfy(row -> {
                assertThat(row.get("state").asString()).isEqualTo("COMPLETED");
                JsonNode image = row.get("images").get(0);
                assertThat(image.get("mismatch").asString()).isEqualTo("asked webp, got jpeg");
                assertThat(image.get("content_type").asString()).isEqualTo("image/jpeg");
                assertThat(image.get("file").asString()).endsWith(".jpg");
                assertThat(dir.resolve("out").resolve(image.get("file").asString())).isRegularFile();
            });
            assertThat(jpegOnly.stats().imageDownloads()).isEqualTo(ROWS);
        }
    }

    @Test
    void onMismatchFailEndsTheRowFailedAndStillKeepsTheImageUnderANameThatSaysSo() throws Exception {
        try (SandboxServer rounding = sandbox(16, null)) {
            int code = run(rounding, "--zbatch.defaults.width=1000", "--zbatch.defaults.height=1000",
                    "--zbatch.defaults.image_format=png", "--zbatch.collect.on-mismatch=fail");

            assertThat(code).as(output()).isEqualTo(ExitCode.INCOMPLETE);
            assertThat(Manifest.rows(dir.resolve("out"))).hasSize(ROWS).allSatisfy(row -> {
                assertThat(row.get("state").asString()).isEqualTo("FAILED");
                String id = row.get("id").asString();
                assertThat(row.get("error").asString()).isEqualTo("image 1 asked 1000x1000, got 992x992 "
                        + "(zbatch.collect.on-mismatch=fail); kept: images/" + id + ".mismatch.png");
                assertThat(dir.resolve("out/images/" + id + ".mismatch.png")).isRegularFile();
            });
            assertThat(rounding.stats().imageDownloads()).isEqualTo(ROWS);
        }
    }
}
