package dev.zbatch.cli;

import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.testing.Manifest;
import dev.zbatch.testing.Workbooks;
import dev.zbatch.testing.ZbatchProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** An .xlsx export as the input of a run, small end to end, and large within a small heap. */
class WorkbookInputTest {

    @TempDir
    Path dir;

    @Test
    void aWorkbookRunsLikeACsvWithItsSkusAsFileNames() throws Exception {
        Path input = Workbooks.write(dir.resolve("products.xlsx"), List.<List<Object>>of(
                List.of("id", "title"), List.of(1001, "a red mug"), List.of(1002, "a blue lamp")).iterator());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(10), Duration.ofMillis(30)))) {
            int code = Zbatch.execute(new String[] {"run", "--input", input.toString(), "--out",
                    dir.resolve("out").toString(), "--provider", "segmind", "--template", "Studio photo of {title}",
                    "--zbatch.providers.segmind.base-url=" + sandbox.baseUrl(),
                    "--zbatch.providers.segmind.api-key=xlsx-test", "--zbatch.defaults.width=256",
                    "--zbatch.defaults.height=256", "--zbatch.defaults.image_format=png",
                    "--zbatch.collect.first-poll-delay=50ms", "--zbatch.progress.mode=off"}, print, print);

            assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
        }
        List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
        assertThat(rows).extracting(r -> r.get("id").asString()).containsExactly("1001", "1002");
        assertThat(rows).extracting(r -> r.get("line").asLong()).containsExactly(2L, 3L);
        assertThat(rows).extracting(r -> r.get("prompt").asString())
                .containsExactly("Studio photo of a red mug", "Studio photo of a blue lamp");
        assertThat(rows).extracting(r -> r.get("images").get(0).get("file").asString())
                .containsExactly("images/1001.png", "images/1002.png");
    }

    @Test
    void aHundredThousandRowWorkbookIsReadWithin256Megabytes() throws Exception {
        int rows = 100_000;
        Iterator<List<Object>> sheet = IntStream.rangeClosed(0, rows).<List<Object>>mapToObj(i -> i == 0
                ? List.of("id", "prompt", "color")
                : List.of("sku-" + i, "studio photo of product number " + i + " on a white background", "blue"))
                .iterator();
        Path input = Workbooks.write(dir.resolve("big.xlsx"), sheet);

        ZbatchProcess estimate = ZbatchProcess.start(dir, Map.of("JAVA_TOOL_OPTIONS", "-Xmx256m"), "estimate",
                "--input", input.toString(), "--out", dir.resolve("out").toString(), "--provider", "segmind");

        assertThat(estimate.waitFor(300)).as(estimate.output()).isZero();
        assertThat(estimate.output()).contains("rows:     100000: 100000 valid, 0 rejected");
    }
}
