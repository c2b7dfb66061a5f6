package dev.zbatch.cli;

import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.testing.Manifest;
import dev.zbatch.testing.ZbatchProcess;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wrong key (401, or 403: a key without the right) stops the run at once, resumably: exit 4, the message names
 * the variable to fix, nothing more is sent after the refusal, no row is left in flight or lost, the refused key
 * is written nowhere, and the same command with the right key then does the whole run, each row once.
 */
class AuthTest {

    private static final int ROWS = 30;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} answering {1}, {2} submission(s) at once")
    @CsvSource({"segmind, 401, 4", "segmind, 403, 4", "pixazo, 401, 4", "pixazo, 403, 4",
            "segmind, 401, 1", "pixazo, 403, 1"})
    void aRefusedKeyStopsAtOnceAndTheSameCommandWithTheRightKeyFinishes(String provider, int status,
                                                                        int concurrency)
            throws Exception {
        Path input = dir.resolve("prompts.csv");
        Files.write(input, IntStream.rangeClosed(0, ROWS)
                .mapToObj(i -> i == 0 ? "id,prompt" : "a" + i + ",auth test prompt " + i).toList());
        Path out = dir.resolve("out");
        String variable = provider.equals("segmind") ? "SEGMIND_API_KEY" : "PIXAZO_API_KEY";
        String wrongKey = SecretScan.newKey();
        String rightKey = SecretScan.newKey();

        try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(20), Duration.ofMillis(100)).withRequireApiKey(true));
             KeyGateway gateway = new KeyGateway(sandbox,
                     provider.equals("segmind") ? "x-api-key" : "Ocp-Apim-Subscription-Key")
                     .accept(rightKey).refuseWith(status).echoKeyInErrors()) {
            String[] args = {"run", "--input", input.toString(), "--out", out.toString(), "--provider", provider,
                    "--zbatch.providers." + provider + ".base-url=" + gateway.baseUrl(),
                    // no pace in the way: four senders really are on the wire at once
                    "--zbatch.providers." + provider + ".submits-per-minute=60000",
                    "--zbatch.providers." + provider + ".burst=" + concurrency,
                    "--zbatch.submit.concurrency=" + concurrency, "--zbatch.submit.chunk-size=10",
                    "--zbatch.collect.first-poll-delay=50ms", "--zbatch.collect.max-poll-interval=200ms",
                    "--zbatch.defaults.width=256", "--zbatch.defaults.height=256"};

            ZbatchProcess refused = ZbatchProcess.start(dir, Map.of(variable, wrongKey), args);
            int code = refused.waitFor(120);
            String output = refused.output();

            assertThat(code).as(output).isEqualTo(4);
            assertThat(output).contains(variable).contains("HTTP " + status).contains("run the same command");
            // one request in all, whatever the concurrency: Segmind's balance check is refused before any
            // submission; Pixazo's first submission goes alone until one is accepted
            assertThat(gateway.requests()).as(output).isEqualTo(1);
            assertThat(gateway.submissions()).as(output).isEqualTo(provider.equals("segmind") ? 0 : 1);
            assertThat(sandbox.stats().submissions()).isZero();
            if (provider.equals("pixazo")) {
                // nothing in flight, nothing lost: every row read so far is in the manifest, still to be sent
                List<JsonNode> rows = Manifest.rows(out);
                assertThat(rows).as(output).isNotEmpty().hasSizeLessThanOrEqualTo(ROWS)
                        .allSatisfy(r -> {
                            assertThat(r.get("state").asString()).isEqualTo("PENDING");
                            assertThat(r.get("request_id").isNull()).isTrue();
                            assertThat(r.get("error").asString()).contains("run the same command again");
                        });
            }
            assertThat(SecretScan.findings(dir, wrongKey)).as("files holding the refused key").isEmpty();

            ZbatchProcess fixed = ZbatchProcess.start(dir, Map.of(variable, rightKey), args);
            int second = fixed.waitFor(120);

            assertThat(second).as(fixed.output()).isEqualTo(0);
            assertThat(Manifest.rows(out)).hasSize(ROWS)
                    .allSatisfy(r -> assertThat(r.get("state").asString()).isEqualTo("COMPLETED"));
            assertThat(sandbox.stats().submissions()).isEqualTo(ROWS);
            assertThat(sandbox.stats().maxSubmissionsOfOneBody()).isEqualTo(1);
            assertThat(SecretScan.findings(dir, wrongKey)).isEmpty();
            assertThat(SecretScan.findings(dir, rightKey)).isEmpty();
        }
    }
}
