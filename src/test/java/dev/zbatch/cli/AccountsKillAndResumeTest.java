package dev.zbatch.cli;

import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.testing.Manifest;
import dev.zbatch.testing.ZbatchProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run over two accounts, each a Segmind-API sandbox of this test's JVM with a key of its own, killed with SIGKILL
 * mid-run and started again: every row is collected from the account that took it, and none is sent twice, to
 * either account.
 */
class AccountsKillAndResumeTest {

    private static final int ROWS = 40;

    @TempDir
    Path dir;

    @Test
    void killedMidRunThenResumedCollectsEachRowFromItsAccountAndSendsNoneTwice() throws Exception {
        Path input = dir.resolve("prompts.csv");
        Files.write(input, IntStream.rangeClosed(0, ROWS)
                .mapToObj(i -> i == 0 ? "id,prompt" : "r" + i + ",prompt number " + i + " of the accounts kill test")
                .toList());
        SandboxSettings settings = SandboxSettings.defaults().withLatency(Duration.ofMillis(300),
                Duration.ofMillis(900)).withRequireApiKey(true).withSubmitsPerMinute(600);
        try (SandboxServer a = SandboxServer.start(settings); SandboxServer b = SandboxServer.start(settings)) {
            String[] args = {"run", "--input", input.toString(), "--out", dir.resolve("out").toString(),
                    "--provider", "segmind",
                    "--zbatch.accounts.a.base-url=" + a.baseUrl(), "--zbatch.accounts.a.submits-per-minute=600",
                    "--zbatch.accounts.b.base-url=" + b.baseUrl(), "--zbatch.accounts.b.submits-per-minute=600",
                    "--zbatch.accounts.b.key-variable=SEGMIND_KEY_B",
                    "--zbatch.submit.chunk-size=5", "--zbatch.submit.window=10",
                    "--zbatch.collect.first-poll-delay=200ms", "--zbatch.collect.max-poll-interval=500ms",
                    "--zbatch.defaults.width=256", "--zbatch.defaults.height=256",
                    "--zbatch.defaults.image_format=png"};
            Map<String, String> env = Map.of("SEGMIND_API_KEY", "key-a", "SEGMIND_KEY_B", "key-b");

            ZbatchProcess first = ZbatchProcess.start(dir, env, args);
            first.awaitSubmissions(a, 8);
            first.kill();
            ZbatchProcess last = ZbatchProcess.start(dir, env, args);
            int code = last.waitFor(120);

            List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
            assertThat(rows).as(last.output()).hasSize(ROWS);
            long unknown = rows.stream().filter(r -> r.get("state").asString().equals("UNKNOWN")).count();
            assertThat(rows).allSatisfy(r -> assertThat(r.get("state").asString()).isIn("COMPLETED", "UNKNOWN"));
            assertThat(code).as(last.output()).isEqualTo(unknown == 0 ? 0 : 3);
            assertThat(unknown).as("only rows in flight at the kill").isLessThanOrEqualTo(4);
            // no request went twice, to one account or across the two
            Map<String, Long> bodies = new HashMap<>(a.stats().submissionsPerBody());
            b.stats().submissionsPerBody().forEach((body, n) -> bodies.merge(body, n, Long::sum));
            assertThat(bodies.values()).allSatisfy(n -> assertThat(n).isEqualTo(1L));
            long atA = rows.stream().filter(r -> "a".equals(r.get("account").asString())).count();
            long atB = rows.stream().filter(r -> "b".equals(r.get("account").asString())).count();
            assertThat(atA + atB).isEqualTo(ROWS);
            assertThat(atA).isPositive();
            assertThat(atB).isPositive();
            // each account's sandbox got its rows, less those the kill left unsure (they may not have arrived)
            assertThat(a.stats().submissions()).isBetween(atA - unknown, atA);
            assertThat(b.stats().submissions()).isBetween(atB - unknown, atB);
        }
    }
}
