package dev.zbatch.cli;

import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.testing.Images;
import dev.zbatch.testing.Manifest;
import dev.zbatch.testing.ZbatchRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every fault the sandbox stages, at once: server errors, submissions whose answer is lost, downloads cut short,
 * bursts of 429, answers slower than the client's timeout. The invariants hold: rows in = rows in the manifest,
 * every image on disk is whole and as recorded, no row is sent twice unless it was UNKNOWN and a retry was asked.
 */
class FaultsEndToEndTest {

    private static final int ROWS = 40;

    @TempDir
    Path dir;

    private ZbatchRun zbatch;

    private int execute(String command, SandboxServer sandbox, String... extra) {
        zbatch = ZbatchRun.onSegmindAt(sandbox.baseUrl(), "faults-test", dir.resolve("p.csv"), dir.resolve("out"))
                .with("--zbatch.providers.segmind.response-timeout=250ms", "--zbatch.collect.first-poll-delay=100ms",
                        "--zbatch.collect.max-poll-interval=500ms", "--zbatch.defaults.image_format=png");
        return zbatch.execute(command, extra);
    }

    private long count(List<JsonNode> rows, String state) {
        return rows.stream().filter(r -> r.get("state").asString().equals(state)).count();
    }

    @Test
    void everyInvariantHoldsUnderEveryFaultAtOnce() throws Exception {
        Files.write(dir.resolve("p.csv"), IntStream.rangeClosed(0, ROWS)
                .mapToObj(i -> i == 0 ? "prompt" : "faulty prompt " + i).toList());
        try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(20), Duration.ofMillis(80))
                .withServerErrorRate(0.15).withDropAfterAccept(0.1).withTruncateDownloadRate(0.2)
                .withRateLimitBurst(25, 3).withSlowAnswer(Duration.ofMillis(400), 0.1))) {

            int first = execute("run", sandbox);

            List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
            long unknown = count(rows, "UNKNOWN");
            assertThat(rows).as(zbatch.output()).hasSize(ROWS);
            assertThat(rows).allSatisfy(r -> assertThat(r.get("state").asString()).isIn("COMPLETED", "UNKNOWN"));
            assertThat(first).isEqualTo(unknown == 0 ? 0 : 3);
            assertThat(sandbox.stats().maxSubmissionsOfOneBody()).isEqualTo(1); // hold: nothing sent twice
            assertImagesWholeAndAsRecorded(rows);
            System.out.printf("faults, first run: rows %d, completed %d, unknown %d, submissions %d, server errors %d,"
                            + " dropped %d, truncated %d, burst 429s %d, slow %d%n", rows.size(), count(rows, "COMPLETED"),
                    unknown, sandbox.stats().submissions(), sandbox.stats().serverErrors(),
                    sandbox.stats().droppedAnswers(), sandbox.stats().truncatedDownloads(),
                    sandbox.stats().burstRateLimited(), sandbox.stats().slowAnswers());

            long submitted = sandbox.stats().submissions();
            execute("run", sandbox); // the same command: held rows stay held
            assertThat(sandbox.stats().submissions()).isEqualTo(submitted);

            int retried = execute("retry", sandbox, "--unknown");

            rows = Manifest.rows(dir.resolve("out"));
            long stillUnknown = count(rows, "UNKNOWN");
            assertThat(rows).hasSize(ROWS);
            assertThat(retried).isEqualTo(stillUnknown == 0 ? 0 : 3);
            long twice = sandbox.stats().submissionsPerBody().values().stream().filter(n -> n > 1).count();
            assertThat(twice).as("only rows that were UNKNOWN may be sent twice").isLessThanOrEqualTo(unknown);
            assertImagesWholeAndAsRecorded(rows);
            System.out.printf("faults, after retry --unknown: completed %d, unknown %d, bodies sent twice %d%n",
                    count(rows, "COMPLETED"), stillUnknown, twice);
        }
    }

    private void assertImagesWholeAndAsRecorded(List<JsonNode> rows) throws Exception {
        for (JsonNode row : rows) {
            for (JsonNode image : row.get("images")) {
                Path file = dir.resolve("out").resolve(image.get("file").asString());
                assertThat(Images.decode(file).getWidth()).isEqualTo(256);
                assertThat(Images.sha256(file)).isEqualTo(image.get("sha256").asString());
            }
        }
        try (var files = Files.list(dir.resolve("out/images"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }
}
