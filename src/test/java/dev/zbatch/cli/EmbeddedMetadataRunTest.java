package dev.zbatch.cli;

import dev.zbatch.testing.EmbeddedMetadata;
import dev.zbatch.testing.Images;
import dev.zbatch.testing.Manifest;
import dev.zbatch.testing.ZbatchRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Images written by a run on the sandbox carry their row's prompt, seed, model, provider and row id, and the
 * manifest's size and SHA-256 are those of the file on disk (metadata included).
 */
class EmbeddedMetadataRunTest {

    private static final String AWKWARD = "A \"poster\" that says <script>alert('x')</script> & ताज महल 🦊\n"
            + "with a second line";
    /** {@link #AWKWARD} as a quoted CSV field. */
    private static final String AWKWARD_CSV = "\"" + AWKWARD.replace("\"", "\"\"") + "\"";

    @TempDir
    Path dir;

    private ZbatchRun zbatch;

    private int run(Path input, Path outDir, String... extra) {
        zbatch = ZbatchRun.onTheSandbox(input, outDir).with("--zbatch.sandbox.max-latency=150ms",
                "--zbatch.collect.max-poll-interval=200ms");
        return zbatch.execute("run", extra);
    }

    private String output() {
        return zbatch.output();
    }

    @Test
    void defaultFormatImagesCarryTheirRowAndACopyCarriesItsOwnRowId() throws Exception {
        Path input = Files.writeString(dir.resolve("p.csv"), "id,prompt,seed\n"
                + "fox," + AWKWARD_CSV + ",7\n"
                + "fox-again," + AWKWARD_CSV + ",7\n"
                + ",a lighthouse at dusk,\n");
        Path outDir = dir.resolve("out");

        assertThat(run(input, outDir)).as(output()).isEqualTo(0);

        List<JsonNode> rows = Manifest.rows(outDir);
        assertThat(rows).hasSize(3);
        for (JsonNode row : rows) {
            assertThat(image(row).get("content_type").asString()).isEqualTo("image/webp"); // Segmind's default
            assertFileCarriesItsRow(outDir, row);
        }
        assertThat(rows.get(0).get("prompt").asString()).isEqualTo(AWKWARD);
        JsonNode copy = rows.get(1);
        assertThat(copy.get("copied_from_row").asLong()).isEqualTo(1);
        assertThat(xmp(outDir, copy)).containsEntry("RowId", "fox-again").containsEntry("Seed", "7");
        assertThat(Images.pixels(file(outDir, copy))).isEqualTo(Images.pixels(file(outDir, rows.get(0))));
        assertThat(xmp(outDir, rows.get(2))).containsEntry("RowId", "6"); // no id: its line (the prompts above take two)
    }

    @Test
    void pngImagesHaveTextChunksAndJpegImagesXmp() throws Exception {
        Path input = Files.writeString(dir.resolve("p.csv"), "id,prompt,image_format\n"
                + "poster," + AWKWARD_CSV + ",png\n"
                + "cafe,Café crème on a marble table,png\n"
                + "jay,a blue jay on a branch,jpeg\n");
        Path outDir = dir.resolve("out");

        assertThat(run(input, outDir)).as(output()).isEqualTo(0);

        List<JsonNode> rows = Manifest.rows(outDir);
        for (JsonNode row : rows) assertFileCarriesItsRow(outDir, row);
        for (JsonNode row : rows.subList(0, 2)) {
            Map<String, String> text = EmbeddedMetadata.pngText(Files.readAllBytes(file(outDir, row)));
            assertThat(text).containsEntry("Description", row.get("prompt").asString())
                    .containsEntry("Seed", row.get("seed").asString())
                    .containsEntry("Model", "z-image-turbo").containsEntry("Provider", "sandbox")
                    .containsEntry("Row ID", row.get("id").asString()).containsEntry("Software", "zbatch");
        }
        assertThat(image(rows.get(2)).get("content_type").asString()).isEqualTo("image/jpeg");
    }

    @Test
    void withTheFlagOffImagesAreWrittenAsDownloaded() throws Exception {
        Path input = Files.writeString(dir.resolve("p.csv"), "id,prompt,image_format\nfox,a red fox,png\n"
                + "owl,an owl,webp\n");
        Path outDir = dir.resolve("out");

        assertThat(run(input, outDir, "--zbatch.output.embed-metadata=false")).as(output()).isEqualTo(0);

        for (JsonNode row : Manifest.rows(outDir)) {
            byte[] bytes = Files.readAllBytes(file(outDir, row));
            assertThat(EmbeddedMetadata.xmp(bytes)).isEmpty();
            assertThat(Images.sha256(file(outDir, row))).isEqualTo(image(row).get("sha256").asString());
            assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("a red fox")
                    .doesNotContain("an owl");
        }
        assertThat(EmbeddedMetadata.pngText(Files.readAllBytes(outDir.resolve("images/fox.png")))).isEmpty();
    }

    /** What a user sees with exiftool; skipped where it is not installed. */
    @Test
    void exiftoolShowsTheMetadata() throws Exception {
        Assumptions.assumeTrue(exiftoolInstalled(), "exiftool is not installed: apt-get install libimage-exiftool-perl");
        Path input = Files.writeString(dir.resolve("p.csv"), "id,prompt,seed,image_format\n"
                + "poster," + AWKWARD_CSV + ",42,png\n"
                + "web,a spider web at dawn,43,webp\n"
                + "jay,a blue jay,44,jpeg\n");
        Path outDir = dir.resolve("out");
        assertThat(run(input, outDir)).as(output()).isEqualTo(0);

        for (JsonNode row : Manifest.rows(outDir)) {
            Process exiftool = new ProcessBuilder("exiftool", "-j", "-G1", "-charset", "UTF8",
                    file(outDir, row).toString()).redirectErrorStream(true).start();
            String json = new String(exiftool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(exiftool.waitFor(30, TimeUnit.SECONDS)).isTrue();
            JsonNode tags = JsonMapper.builder().build().readTree(json).get(0);
            assertThat(tags.get("XMP-dc:Description").asString()).as(json).isEqualTo(row.get("prompt").asString());
            assertThat(tags.get("XMP-zbatch:Seed").asLong()).as(json).isEqualTo(row.get("seed").asLong());
            assertThat(tags.get("XMP-zbatch:RowId").asString()).as(json).isEqualTo(row.get("id").asString());
            assertThat(tags.get("XMP-zbatch:Model").asString()).as(json).isEqualTo("z-image-turbo");
            assertThat(tags.has("ExifTool:Warning")).as(json).isFalse();
        }
    }

    /** The file decodes at its recorded size, its size and SHA-256 are the manifest's, its XMP is its row's. */
    private static void assertFileCarriesItsRow(Path outDir, JsonNode row) throws Exception {
        JsonNode image = image(row);
        Path file = file(outDir, row);
        assertThat(Images.decode(file).getWidth()).isEqualTo(image.get("width").asInt()).isEqualTo(256);
        assertThat(Images.sha256(file)).isEqualTo(image.get("sha256").asString());
        assertThat(Files.size(file)).isEqualTo(image.get("bytes").asLong());
        JsonNode seed = row.get("seed").isNull() ? row.get("params").get("seed") : row.get("seed");
        assertThat(xmp(outDir, row)).containsEntry("Description", row.get("prompt").asString())
                .containsEntry("Seed", seed.asString())
                .containsEntry("Model", row.get("model").asString())
                .containsEntry("Provider", row.get("provider").asString())
                .containsEntry("RowId", row.get("id").asString());
    }

    private static Map<String, String> xmp(Path outDir, JsonNode row) throws Exception {
        return EmbeddedMetadata.xmp(Files.readAllBytes(file(outDir, row)));
    }

    private static JsonNode image(JsonNode row) {
        assertThat(row.get("images")).as(row.toString()).hasSize(1);
        return row.get("images").get(0);
    }

    private static Path file(Path outDir, JsonNode row) {
        return outDir.resolve(image(row).get("file").asString());
    }

    private static boolean exiftoolInstalled() {
        try {
            Process p = new ProcessBuilder("exiftool", "-ver").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
