package dev.zbatch.cli;

import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.testing.ZbatchProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code status} in a second process, while a real run holds the ledger (through the run's loopback server),
 * after it ended, and after it was killed; and the run's progress lines when its output is not a terminal.
 */
class StatusTest {

    /** At 60 a minute, long enough for H2 to give up waiting for the lock that a second run waits on (~15 s). */
    private static final int ROWS = 40;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> KEY = Map.of("SEGMIND_API_KEY", "status-test-key");

    @TempDir
    Path dir;

    @Test
    void statusAnswersWhileTheRunGoesOnAndAfterItEndedAndASecondRunIsRefused() throws Exception {
        try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(200), Duration.ofMillis(400)).withSubmitsPerMinute(60))) {
            ZbatchProcess run = ZbatchProcess.start(dir, KEY, runArgs(sandbox));
            run.awaitSubmissions(sandbox, 4);

            JsonNode during = statusJson();
            assertThat(during.get("activity").asString()).isEqualTo("RUNNING");
            assertThat(during.get("input_rows").asLong()).isEqualTo(ROWS);
            assertThat(during.get("rows").asLong()).isBetween(4L, (long) ROWS);
            assertThat(during.get("states").get("COMPLETED").asLong()).isLessThan(ROWS);
            assertThat(during.get("ended_at").isNull()).isTrue();
            assertThat(run.isAlive()).as("status must not disturb the run").isTrue();
            String text = status("status", "out");
            assertThat(text).contains("run:      in progress since").contains("eta:")
                    .containsPattern("pace:     [0-9.]+ rows/min, [0-9.]+ images/min \\(the running process, over ")
                    .containsPattern("rows:     \\d+ done of " + ROWS + " in the input");
            Files.createSymbolicLink(dir.resolve("same-out"), dir.resolve("out"));
            assertThat(status("status", "same-out")).as("the folder reached by another path")
                    .contains("run:      in progress since");

            ZbatchProcess second = ZbatchProcess.start(dir, KEY, runArgs(sandbox));
            assertThat(second.waitFor(120)).as(second.output()).isEqualTo(ExitCode.USAGE);
            assertThat(second.output()).contains("in use by another zbatch process").doesNotContain("Exception");

            assertThat(run.waitFor(120)).as(run.output()).isZero();
            assertThat(sandbox.stats().submissions()).as("the second run sent nothing").isEqualTo(ROWS);
            String progress = run.output();
            assertThat(progress).containsPattern("zbatch: \\d+/" + ROWS + " rows done \\(\\d+%\\), \\d+ in flight, "
                    + "0 failed, [0-9.]+ images/min, \\$[0-9.]+ spent, ETA ");
            assertThat(progress).as("no terminal control codes in a log").doesNotContain("\u001b").doesNotContain("\r");

            JsonNode after = statusJson();
            assertThat(after.get("activity").asString()).isEqualTo("ENDED");
            assertThat(after.get("outcome").asString()).isEqualTo("finished: every row has its images");
            assertThat(after.get("states").get("COMPLETED").asLong()).isEqualTo(ROWS);
            assertThat(after.get("images").asLong()).isEqualTo(ROWS);
            assertThat(after.get("eta_seconds").isNull()).isTrue();
            assertThat(status("status", "out")).contains("run:      ended ").contains("completed   " + ROWS)
                    .contains("rows:     " + ROWS + "\n");

            ZbatchProcess again = ZbatchProcess.start(dir, KEY, runArgs(sandbox));
            assertThat(again.waitFor(120)).as(again.output()).isZero();
            JsonNode afterNothingToDo = statusJson();
            assertThat(afterNothingToDo.get("started_at")).as("a pass with nothing to do keeps the run's record")
                    .isEqualTo(after.get("started_at"));
            assertThat(afterNothingToDo.get("ended_at")).isEqualTo(after.get("ended_at"));
            assertThat(afterNothingToDo.get("outcome")).isEqualTo(after.get("outcome"));
        }
    }

    @Test
    void statusOfAKilledRunSaysItStoppedAndHowToResume() throws Exception {
        try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(200), Duration.ofMillis(400)).withSubmitsPerMinute(60))) {
            ZbatchProcess run = ZbatchProcess.start(dir, KEY, runArgs(sandbox));
            run.awaitSubmissions(sandbox, 3);
            run.kill();

            JsonNode killed = statusJson();
            assertThat(killed.get("activity").asString()).isEqualTo("INTERRUPTED");
            assertThat(status("status", "out")).contains("stopped without finishing")
                    .contains("run the same command again to resume");

            assertThat(ZbatchProcess.start(dir, KEY, runArgs(sandbox)).waitFor(120)).isIn(0, 3);
            assertThat(statusJson().get("activity").asString()).isEqualTo("ENDED");
        }
    }

    @Test
    void statusOfAFolderWithoutARunIsAClearError() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        ZbatchProcess status = ZbatchProcess.start(dir, Map.of(), "status", "empty");
        assertThat(status.waitFor(60)).isEqualTo(ExitCode.USAGE);
        assertThat(status.output()).contains("empty holds no zbatch run").doesNotContain("Exception");
    }

    @Test
    void aStoppedRunSaysWhyOnceInStatus() throws Exception {
        try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(200), Duration.ofMillis(400)).withSubmitsPerMinute(60))) {
            List<String> args = new ArrayList<>(List.of(runArgs(sandbox)));
            args.addAll(List.of("--zbatch.providers.segmind.api-key=status-test-key", "--zbatch.job.max-duration=2s"));
            java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
            assertThat(Zbatch.execute(args.toArray(String[]::new), quiet, quiet)).isEqualTo(ExitCode.STOPPED);

            assertThat(statusJson().get("outcome").asString())
                    .startsWith("stopped after zbatch.job.max-duration (PT2S)").doesNotContain("stopped: stopped");
        }
    }

    private String[] runArgs(SandboxServer sandbox) throws Exception {
        Path input = dir.resolve("prompts.csv");
        if (!Files.exists(input)) {
            Files.write(input, IntStream.rangeClosed(0, ROWS)
                    .mapToObj(i -> i == 0 ? "id,prompt" : "s" + i + ",status test prompt " + i).toList());
        }
        return new String[]{"run", "--input", input.toString(), "--out", dir.resolve("out").toString(),
                "--provider", "segmind", "--zbatch.providers.segmind.base-url=" + sandbox.baseUrl(),
                "--zbatch.providers.segmind.submits-per-minute=60", // the sandbox's own limit
                "--zbatch.collect.first-poll-delay=200ms", "--zbatch.defaults.width=256",
                "--zbatch.defaults.height=256", "--zbatch.defaults.image_format=png",
                "--zbatch.progress.mode=log", "--zbatch.progress.interval=1s"};
    }

    private JsonNode statusJson() throws Exception {
        String output = status("status", "out", "--json");
        String json = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no JSON in: " + output));
        return JSON.readTree(json);
    }

    private String status(String... args) throws Exception {
        ZbatchProcess status = ZbatchProcess.start(dir, Map.of(), args);
        int code = status.waitFor(60);
        assertThat(code).as(status.output()).isZero();
        return status.output();
    }
}
