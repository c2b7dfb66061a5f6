package dev.zbatch.cli;

import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.testing.Manifest;
import dev.zbatch.testing.ZbatchProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** End to end, against a server that enforces a limit: the client keeps to it. */
class RateLimitTest {

    @TempDir
    Path dir;

    private int run(SandboxServer sandbox, Path input, int clientLimit, ByteArrayOutputStream out) {
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        return Zbatch.execute(new String[]{"run", "--input", input.toString(), "--out", dir.resolve("out").toString(),
                "--provider", "segmind", "--zbatch.providers.segmind.base-url=" + sandbox.baseUrl(),
                "--zbatch.providers.segmind.api-key=rate-test",
                "--zbatch.providers.segmind.submits-per-minute=" + clientLimit,
                "--zbatch.collect.first-poll-delay=50ms", "--zbatch.defaults.width=256",
                "--zbatch.defaults.height=256", "--zbatch.defaults.image_format=jpeg"}, print, print);
    }

    private Path input(int rows) throws Exception {
        return Files.write(dir.resolve("p.csv"), IntStream.rangeClosed(0, rows)
                .mapToObj(i -> i == 0 ? "prompt" : "rate prompt " + i).toList());
    }

    /**
     * The sandbox's bucket holds one second's worth, as real per-window limiters allow; with a one-token bucket
     * on both sides, a request delayed a few milliseconds in transit would meet an empty bucket.
     */
    @Test
    void atTheServersOwnLimitNoRequestIsRefused() throws Exception {
        try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(20), Duration.ofMillis(60)).withSubmitsPerMinute(600))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long started = System.nanoTime();

            int code = run(sandbox, input(30), 600, out);

            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(0);
            assertThat(sandbox.stats().rateLimited()).isZero();
            assertThat(sandbox.stats().submissions()).isEqualTo(30);
            assertThat(seconds).isGreaterThan(29 * 0.1); // 30 submissions, one per 100 ms: it was paced
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("0 answered 429");
        }
    }

    @Test
    void aClientSetTooHighIsSlowedDownBy429sAndStillSubmitsEveryRowOnce() throws Exception {
        try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(20), Duration.ofMillis(60)).withSubmitsPerMinute(600)
                .withSubmitBurst(1))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            int code = run(sandbox, input(30), 1200, out);

            assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(0);
            assertThat(sandbox.stats().rateLimited()).isPositive();
            assertThat(sandbox.stats().maxSubmissionsOfOneBody()).isEqualTo(1);
            assertThat(Manifest.rows(dir.resolve("out"))).hasSize(30)
                    .allSatisfy(r -> assertThat(r.get("state").asString()).isEqualTo("COMPLETED"));
        }
    }
    /** A 429 pause (Retry-After) applies to every caller; Ctrl-C during it must not wait it out. */
    @Test
    void sigtermDuringA429PauseStopsAtOnceAndResumably() throws Exception {
        try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(20), Duration.ofMillis(60)).withSubmitsPerMinute(1))) {
            String[] args = {"run", "--input", input(5).toString(), "--out", dir.resolve("out").toString(),
                    "--provider", "segmind", "--zbatch.providers.segmind.base-url=" + sandbox.baseUrl(),
                    "--zbatch.providers.segmind.submits-per-minute=600",
                    "--zbatch.collect.first-poll-delay=50ms", "--zbatch.defaults.width=256",
                    "--zbatch.defaults.height=256"};
            ZbatchProcess run = ZbatchProcess.start(dir, Map.of("SEGMIND_API_KEY", "rate-test"), args);
            run.await(sandbox, s -> s.stats().rateLimited(), 1); // the second submission meets the 1/min limit
            Thread.sleep(1000); // everyone is in the pause now (Retry-After: about 60 s)

            long stopping = System.nanoTime();
            int code = run.terminate(90);
            double seconds = (System.nanoTime() - stopping) / 1e9;

            assertThat(code).as(run.output()).isEqualTo(4);
            assertThat(seconds).as("stopped without sitting out the pause").isLessThan(15);
            assertThat(run.output()).contains("run the same command again");
            assertThat(sandbox.stats().submissions()).as("nothing was sent during the pause")
                    .isEqualTo(1 + sandbox.stats().rateLimited());
        }
    }
}
