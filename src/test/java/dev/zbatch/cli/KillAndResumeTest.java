package dev.zbatch.cli;

import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.testing.Images;
import dev.zbatch.testing.Manifest;
import dev.zbatch.testing.ZbatchProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real zbatch process killed with SIGKILL in the middle of its run, then the same command again. The provider is
 * a sandbox in this test's JVM, so it outlives the killed process and counts every submission it receives.
 */
class KillAndResumeTest {

    private static final int ROWS = 60;

    @TempDir
    Path dir;

    @Test
    void killedTwiceMidRunThenResumedCompletesWithoutSubmittingAnyRowTwice() throws Exception {
        Path input = dir.resolve("prompts.csv");
        Files.write(input, IntStream.rangeClosed(0, ROWS)
                .mapToObj(i -> i == 0 ? "id,prompt" : "r" + i + ",prompt number " + i + " of the kill test")
                .toList());
        try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(300), Duration.ofMillis(900))
                .withRequireApiKey(true))) {
            String[] args = {"run", "--input", input.toString(), "--out", dir.resolve("out").toString(),
                    "--provider", "segmind",
                    "--zbatch.providers.segmind.base-url=" + sandbox.baseUrl(),
                    "--zbatch.submit.chunk-size=5", "--zbatch.submit.window=10",
                    "--zbatch.collect.first-poll-delay=200ms", "--zbatch.collect.max-poll-interval=500ms",
                    "--zbatch.defaults.width=256", "--zbatch.defaults.height=256",
                    "--zbatch.defaults.image_format=png"};
            Map<String, String> env = Map.of("SEGMIND_API_KEY", "kill-test-key");

            for (long killAfter : new long[]{12, 35}) {
                ZbatchProcess first = ZbatchProcess.start(dir, env, args);
                first.awaitSubmissions(sandbox, killAfter);
                first.kill();
            }
            ZbatchProcess last = ZbatchProcess.start(dir, env, args);
            int code = last.waitFor(120);

            List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
            assertThat(rows).as(last.output()).hasSize(ROWS);
            long unknown = rows.stream().filter(r -> r.get("state").asString().equals("UNKNOWN")).count();
            assertThat(rows).allSatisfy(r -> assertThat(r.get("state").asString()).isIn("COMPLETED", "UNKNOWN"));
            assertThat(code).as(last.output()).isEqualTo(unknown == 0 ? 0 : 3);
            // only rows in flight at a kill may be unsure, and none is ever sent twice (policy: hold)
            assertThat(unknown).isLessThanOrEqualTo(2 * 4);
            assertThat(sandbox.stats().maxSubmissionsOfOneBody()).isEqualTo(1);
            assertThat(sandbox.stats().submissions()).isBetween((long) ROWS - unknown, (long) ROWS);
            System.out.printf("two kills mid-run: rows %d, completed %d, unknown %d, submissions %d, "
                    + "most submissions of one body %d%n", rows.size(), rows.size() - unknown, unknown,
                    sandbox.stats().submissions(), sandbox.stats().maxSubmissionsOfOneBody());
            for (JsonNode row : rows) {
                if (!row.get("state").asString().equals("COMPLETED")) continue;
                Path file = dir.resolve("out").resolve(row.get("images").get(0).get("file").asString());
                assertThat(Images.decode(file).getWidth()).isEqualTo(256);
                assertThat(Images.sha256(file)).isEqualTo(row.get("images").get(0).get("sha256").asString());
            }
            try (var files = Files.list(dir.resolve("out/images"))) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
            }
        }
    }

    /** A moment to kill at, read from what the provider has seen. */
    private record KillPoint(String name, java.util.function.ToLongFunction<SandboxServer> progress, long atLeast) {
    }

    @Test
    void killedAtEveryStageThenResumedEachTimeKeepsEveryInvariant() throws Exception {
        Path input = dir.resolve("prompts.csv");
        Files.write(input, IntStream.rangeClosed(0, ROWS)
                .mapToObj(i -> i == 0 ? "id,prompt" : "s" + i + ",stage prompt number " + i).toList());
        List<KillPoint> points = List.of(
                new KillPoint("while reading, at the first submission", s -> s.stats().submissions(), 1),
                new KillPoint("mid-download", s -> s.stats().imageDownloads(), 10),
                new KillPoint("mid-submission", s -> s.stats().submissions(), 45),
                // rows left UNKNOWN by the kills before are never downloaded: the run may end before this one
                new KillPoint("near the end: the last downloads or the finish step",
                        s -> s.stats().imageDownloads(), ROWS - 12));
        try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(200), Duration.ofMillis(600)))) {
            String[] args = {"run", "--input", input.toString(), "--out", dir.resolve("out").toString(),
                    "--provider", "segmind", "--zbatch.providers.segmind.base-url=" + sandbox.baseUrl(),
                    "--zbatch.providers.segmind.submits-per-minute=0",
                    "--zbatch.submit.chunk-size=5", "--zbatch.submit.window=10",
                    "--zbatch.collect.first-poll-delay=200ms", "--zbatch.defaults.width=256",
                    "--zbatch.defaults.height=256", "--zbatch.defaults.image_format=png"};
            Map<String, String> env = Map.of("SEGMIND_API_KEY", "stage-test-key");
            for (KillPoint point : points) {
                ZbatchProcess process = ZbatchProcess.start(dir, env, args);
                boolean reached = awaitProgress(sandbox, point, process);
                if (!reached && point != points.get(points.size() - 1)) {
                    throw new AssertionError("zbatch ended before '" + point.name() + "': " + process.output());
                }
                process.kill();
            }
            ZbatchProcess last = ZbatchProcess.start(dir, env, args);
            int code = last.waitFor(120);

            List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
            assertThat(rows).as(last.output()).hasSize(ROWS); // rows in = rows in the manifest
            long unknown = rows.stream().filter(r -> r.get("state").asString().equals("UNKNOWN")).count();
            assertThat(rows).allSatisfy(r -> assertThat(r.get("state").asString()).isIn("COMPLETED", "UNKNOWN"));
            assertThat(code).as(last.output()).isEqualTo(unknown == 0 ? 0 : 3);
            assertThat(sandbox.stats().maxSubmissionsOfOneBody()).isEqualTo(1); // nothing paid twice
            System.out.printf("kills at %d stages: rows %d, completed %d, unknown %d, submissions %d, "
                    + "most submissions of one body %d%n", points.size(), rows.size(), rows.size() - unknown, unknown,
                    sandbox.stats().submissions(), sandbox.stats().maxSubmissionsOfOneBody());
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

    /** Waits for the kill point; false when the process ended first. */
    private static boolean awaitProgress(SandboxServer sandbox, KillPoint point, ZbatchProcess process)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (point.progress().applyAsLong(sandbox) < point.atLeast()) {
            if (!process.isAlive()) return false;
            if (System.nanoTime() > deadline) throw new AssertionError("never reached '" + point.name() + "'");
            Thread.sleep(5);
        }
        return true;
    }

    @Test
    void sigtermStopsWithExit4AndTheSameCommandFinishesTheRun() throws Exception {
        Path input = dir.resolve("prompts.csv");
        Files.write(input, IntStream.rangeClosed(0, 40)
                .mapToObj(i -> i == 0 ? "prompt" : "prompt number " + i + " of the sigterm test").toList());
        try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(300), Duration.ofMillis(900)))) {
            String[] args = {"run", "--input", input.toString(), "--out", dir.resolve("out").toString(),
                    "--provider", "segmind", "--zbatch.providers.segmind.base-url=" + sandbox.baseUrl(),
                    "--zbatch.submit.chunk-size=5", "--zbatch.submit.window=6",
                    "--zbatch.collect.first-poll-delay=200ms", "--zbatch.defaults.width=256",
                    "--zbatch.defaults.height=256", "--zbatch.defaults.image_format=png"};
            Map<String, String> env = Map.of("SEGMIND_API_KEY", "sigterm-test-key");

            ZbatchProcess first = ZbatchProcess.start(dir, env, args);
            first.awaitSubmissions(sandbox, 10);
            int stopped = first.terminate(60);

            assertThat(stopped).as(first.output()).isEqualTo(4);
            assertThat(first.output()).contains("run the same command again");
            assertThat(Manifest.rows(dir.resolve("out"))).isNotEmpty(); // where things stood

            ZbatchProcess second = ZbatchProcess.start(dir, env, args);
            assertThat(second.waitFor(120)).as(second.output()).isEqualTo(0);
            assertThat(Manifest.rows(dir.resolve("out"))).hasSize(40)
                    .allSatisfy(r -> assertThat(r.get("state").asString()).isEqualTo("COMPLETED"));
            assertThat(sandbox.stats().maxSubmissionsOfOneBody()).isEqualTo(1);
            assertThat(sandbox.stats().submissions()).isEqualTo(40);
        }
    }
}
