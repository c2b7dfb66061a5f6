package dev.zbatch.cli;

import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.testing.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Expired results are sent again within bounds; unsure submissions are held, and sent again only when asked. */
class ResendPoliciesTest {

    private static final int ROWS = 4;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private Path input() throws Exception {
        return Files.write(dir.resolve("p.csv"), IntStream.rangeClosed(0, ROWS)
                .mapToObj(i -> i == 0 ? "prompt" : "resend prompt " + i).toList());
    }

    private int execute(String command, SandboxServer sandbox, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(command, "--input", dir.resolve("p.csv").toString(),
                "--out", dir.resolve("out").toString(), "--provider", "segmind",
                "--zbatch.providers.segmind.base-url=" + sandbox.baseUrl(),
                "--zbatch.providers.segmind.api-key=resend-test", "--zbatch.providers.segmind.submits-per-minute=0",
                "--zbatch.defaults.width=256", "--zbatch.defaults.height=256",
                "--zbatch.defaults.image_format=png"));
        args.addAll(List.of(extra));
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        return Zbatch.execute(args.toArray(String[]::new), print, print);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private List<String> states() throws Exception {
        return Manifest.rows(dir.resolve("out")).stream().map(r -> r.get("state").asString()).toList();
    }

    @Test
    void resultsThatExpireBeforeCollectionAreSentAgainUpToTheLimitThenRetryExpiredFinishes() throws Exception {
        input();
        // results are kept 100 ms; the first poll comes after 400 ms: every result is gone when asked for
        try (SandboxServer forgetful = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(10), Duration.ofMillis(20)).withRetention(Duration.ofMillis(100)))) {
            int code = execute("run", forgetful, "--zbatch.collect.first-poll-delay=400ms",
                    "--zbatch.collect.learn-first-poll=false", "--zbatch.submit.max-attempts=3");

            assertThat(code).as(output()).isEqualTo(3);
            assertThat(states()).containsOnly("EXPIRED").hasSize(ROWS);
            assertThat(Manifest.rows(dir.resolve("out"))).allSatisfy(r -> {
                assertThat(r.get("attempts").asInt()).isEqualTo(3);
                assertThat(r.get("error").asString()).contains("after 3 attempts");
            });
            assertThat(forgetful.stats().submissions()).isEqualTo(3L * ROWS);
            assertThat(output()).contains("retry").contains("--expired");
        }
        try (SandboxServer normal = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(10), Duration.ofMillis(20)))) {
            int code = execute("retry", normal, "--expired", "--zbatch.collect.first-poll-delay=50ms",
                    "--zbatch.submit.max-attempts=5");

            assertThat(code).as(output()).isEqualTo(0);
            assertThat(states()).containsOnly("COMPLETED").hasSize(ROWS);
            assertThat(normal.stats().submissions()).isEqualTo(ROWS);
        }
    }

    @Test
    void unsureSubmissionsAreHeldListedAndSentAgainOnlyByRetryUnknown() throws Exception {
        input();
        try (SandboxServer dropping = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(10), Duration.ofMillis(20)).withDropAfterAccept(1.0))) {
            int code = execute("run", dropping, "--zbatch.collect.first-poll-delay=50ms");

            assertThat(code).as(output()).isEqualTo(3);
            assertThat(states()).containsOnly("UNKNOWN").hasSize(ROWS);
            assertThat(dropping.stats().submissions()).isEqualTo(ROWS); // each accepted once, none resent blindly
            assertThat(output()).contains("rows are UNKNOWN").contains("retry").contains("--unknown");

            int again = execute("run", dropping, "--zbatch.collect.first-poll-delay=50ms");

            assertThat(again).as(output()).isEqualTo(3);
            assertThat(dropping.stats().submissions()).isEqualTo(ROWS); // hold: the same command sends nothing
        }
        try (SandboxServer normal = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(10), Duration.ofMillis(20)))) {
            int code = execute("retry", normal, "--unknown", "--zbatch.collect.first-poll-delay=50ms");

            assertThat(code).as(output()).isEqualTo(0);
            assertThat(states()).containsOnly("COMPLETED");
            assertThat(normal.stats().submissions()).isEqualTo(ROWS);
        }
    }

    @Test
    void withOnUnknownResubmitTheSameCommandSendsUnsureRowsAgain() throws Exception {
        input();
        try (SandboxServer dropping = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(10), Duration.ofMillis(20)).withDropAfterAccept(1.0))) {
            assertThat(execute("run", dropping, "--zbatch.collect.first-poll-delay=50ms")).isEqualTo(3);
        }
        try (SandboxServer normal = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(10), Duration.ofMillis(20)))) {
            int code = execute("run", normal, "--zbatch.collect.first-poll-delay=50ms",
                    "--zbatch.submit.on-unknown=resubmit");

            assertThat(code).as(output()).isEqualTo(0);
            assertThat(states()).containsOnly("COMPLETED");
        }
    }

    @Test
    void retryWithoutWhatToRetryIsAUsageError() throws Exception {
        input();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(Zbatch.execute(new String[]{"retry", "--input", dir.resolve("p.csv").toString()}, print, print))
                .isEqualTo(2);
        assertThat(output()).contains("--failed, --expired or --unknown");
    }
}
