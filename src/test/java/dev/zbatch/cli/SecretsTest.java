package dev.zbatch.cli;

import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.testing.Manifest;
import dev.zbatch.testing.ZbatchProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An API key exists only where the user put it (the environment, or the configuration). A real zbatch
 * process runs with everything logged at DEBUG (zbatch at TRACE) against a provider that needs the key, fails some
 * rows, refuses one and quotes the caller's key in every error text it gives, like a careless real API; then no
 * file under the folder (the H2 database, manifests, log, sandbox state, images, the process's own output) holds
 * the key in any byte form.
 */
class SecretsTest {

    private static final String[] DEBUG_EVERYWHERE = {"--logging.level.root=DEBUG",
            "--logging.level.dev.zbatch=TRACE", "--logging.level.org.apache.hc=DEBUG"};

    @TempDir
    Path dir;

    @Test
    void segmindKeyFromTheEnvironmentIsWrittenNowhere() throws Exception {
        String key = SecretScan.newKey();
        runAndAssertNoLeak("segmind", key, Map.of("SEGMIND_API_KEY", key));
    }

    @Test
    void segmindKeyGivenAsAPropertyIsWrittenNowhere() throws Exception {
        String key = SecretScan.newKey();
        runAndAssertNoLeak("segmind", key, Map.of(), "--zbatch.providers.segmind.api-key=" + key);
    }

    @Test
    void pixazoKeyFromTheEnvironmentIsWrittenNowhere() throws Exception {
        String key = SecretScan.newKey();
        runAndAssertNoLeak("pixazo", key, Map.of("PIXAZO_API_KEY", key));
    }

    @Test
    void pixazoKeyGivenAsAPropertyIsWrittenNowhere() throws Exception {
        String key = SecretScan.newKey();
        runAndAssertNoLeak("pixazo", key, Map.of(), "--zbatch.providers.pixazo.api-key=" + key);
    }

    /**
     * Someone chasing a provider problem turns HttpClient's header and wire logs on. They would print the key;
     * a turbo filter (SecretLogFilter) drops them whatever level is set.
     */
    @Test
    void segmindKeyStaysOutOfTheLogWhenHttpClientHeaderLoggingIsTurnedOn() throws Exception {
        String key = SecretScan.newKey();
        runAndAssertNoLeak("segmind", key, Map.of("SEGMIND_API_KEY", key),
                "--logging.level.org.apache.hc.client5.http.headers=DEBUG",
                "--logging.level.org.apache.hc.client5.http.wire=DEBUG");
    }

    @Test
    void pixazoKeyStaysOutOfTheLogWhenHttpClientHeaderLoggingIsTurnedOn() throws Exception {
        String key = SecretScan.newKey();
        runAndAssertNoLeak("pixazo", key, Map.of("PIXAZO_API_KEY", key),
                "--logging.level.org.apache.hc.client5.http.headers=DEBUG",
                "--logging.level.org.apache.hc.client5.http.wire=DEBUG");
    }

    /** The scan itself: it must find the key in each form it claims to look for, wherever it sits. */
    @Test
    void theScanFindsTheKeyInEveryFormItLooksFor() throws Exception {
        String key = SecretScan.newKey();
        for (int prefix = 0; prefix < 3; prefix++) {
            byte[] raw = ("ab".substring(0, prefix) + key + "tail").getBytes(StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("b64-" + prefix), "x" + Base64.getEncoder().encodeToString(raw) + "\n");
            Files.writeString(dir.resolve("b64url-" + prefix), Base64.getUrlEncoder().encodeToString(raw));
        }
        Files.write(dir.resolve("utf16"), ("pre " + key).getBytes(StandardCharsets.UTF_16));
        Files.writeString(dir.resolve("cut"), "key=" + key.substring(0, 30) + "…");
        Files.writeString(dir.resolve("clean"), "zbk-SECRET-" + "nothing to see here");

        List<String> findings = SecretScan.findings(dir, key);

        assertThat(findings).anyMatch(f -> f.startsWith("b64-0:")).anyMatch(f -> f.startsWith("b64-1:"))
                .anyMatch(f -> f.startsWith("b64-2:")).anyMatch(f -> f.startsWith("b64url-2:"))
                .anyMatch(f -> f.startsWith("utf16:")).anyMatch(f -> f.startsWith("cut:"))
                .noneMatch(f -> f.startsWith("clean:"));
    }

    private void runAndAssertNoLeak(String provider, String key, Map<String, String> env, String... extraArgs)
            throws Exception {
        Path input = dir.resolve("prompts.csv");
        List<String> lines = new ArrayList<>(List.of("id,prompt,width"));
        IntStream.rangeClosed(1, 12).forEach(i -> lines.add("r" + i + ",secret test prompt number " + i + ","));
        lines.add("refused,please refuse-me politely,");              // the provider answers 400, quoting the key
        lines.add("invalid,a prompt with an impossible width,7");       // REJECTED by zbatch, never sent
        Files.write(input, lines);
        Path out = dir.resolve("out");
        Path sandboxState = out.resolve("sandbox-state");
        String keyHeader = provider.equals("segmind") ? "x-api-key" : "Ocp-Apim-Subscription-Key";

        try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(50), Duration.ofMillis(250))
                .withFailureRate(0.5)
                .withRequireApiKey(true)
                .withStateDir(sandboxState));
             KeyGateway gateway = new KeyGateway(sandbox, keyHeader).accept(key).echoKeyInErrors()
                     .refusePromptsContaining("refuse-me")) {
            List<String> args = new ArrayList<>(List.of("run", "--input", input.toString(), "--out", out.toString(),
                    "--provider", provider,
                    "--zbatch.providers." + provider + ".base-url=" + gateway.baseUrl(),
                    "--zbatch.providers." + provider + ".submits-per-minute=1200",
                    "--zbatch.collect.first-poll-delay=100ms", "--zbatch.collect.max-poll-interval=300ms",
                    "--zbatch.defaults.width=256", "--zbatch.defaults.height=256"));
            if (provider.equals("segmind")) args.add("--zbatch.defaults.image_format=png");
            args.addAll(List.of(DEBUG_EVERYWHERE));
            args.addAll(List.of(extraArgs));

            ZbatchProcess process = ZbatchProcess.start(dir, env, args.toArray(String[]::new));
            int code = process.waitFor(120);
            String output = process.output();

            // the run did what it should, with the key: some images, some FAILED, one refused, one invalid
            assertThat(code).as(output).isEqualTo(3);
            assertThat(gateway.refused()).as("calls without the right key").isZero();
            List<JsonNode> rows = Manifest.rows(out);
            assertThat(rows).as(output).hasSize(14);
            assertThat(rows).anyMatch(r -> state(r).equals("COMPLETED"));
            assertThat(rows).as("failureRate 0.5 over 12 rows").anyMatch(r -> state(r).equals("FAILED"));
            assertThat(rows).filteredOn(r -> r.get("id").asString().equals("refused"))
                    .singleElement().satisfies(r -> assertThat(r.get("error").asString())
                            .contains("prompt not allowed for the account of key"));
            assertThat(rows).filteredOn(r -> r.get("id").asString().equals("invalid"))
                    .singleElement().satisfies(r -> assertThat(state(r)).isEqualTo("REJECTED"));

            // the scan can see into what it scans: the log is at DEBUG and the database holds the prompts
            Path log = out.resolve(".zbatch/zbatch.log");
            assertThat(log).exists();
            assertThat(Files.readString(log)).contains(" DEBUG ")
                    .contains(provider.equals("segmind") ? "Segmind submit: POST" : "Pixazo submit: POST");
            List<Path> databases = SecretScan.files(out.resolve(".zbatch")).stream()
                    .filter(p -> p.getFileName().toString().endsWith(".db")).toList();
            assertThat(databases).isNotEmpty();
            assertThat(databases).anyMatch(db -> SecretScan.contains(db, "secret test prompt number 7"));
            assertThat(SecretScan.files(out)).anyMatch(p -> p.getFileName().toString().equals("manifest.jsonl"))
                    .anyMatch(p -> p.getFileName().toString().equals("manifest.csv"))
                    .anyMatch(p -> p.startsWith(sandboxState));

            // the key is nowhere: every file under the test's folder, the process's stdout and stderr included
            assertThat(SecretScan.findings(dir, key)).as("files holding the key").isEmpty();
            assertThat(output).doesNotContain(key);
        }
    }

    private static String state(JsonNode row) {
        return row.get("state").asString();
    }
}
