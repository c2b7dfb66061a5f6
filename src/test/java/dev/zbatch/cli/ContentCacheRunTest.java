package dev.zbatch.cli;

import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.testing.Manifest;
import dev.zbatch.testing.ZbatchRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** zbatch.cache.dir: a fixed-seed request made once is never bought again, by any run on the machine. */
class ContentCacheRunTest {

    private static final int ROWS = 4;

    @TempDir
    Path dir;

    private SandboxServer sandbox;
    private ZbatchRun zbatch;

    @BeforeEach
    void start() throws Exception {
        sandbox = SandboxServer.start(SandboxSettings.defaults().withLatency(Duration.ofMillis(10), Duration.ofMillis(30)));
        Files.write(dir.resolve("p.csv"), IntStream.rangeClosed(0, ROWS)
                .mapToObj(i -> i == 0 ? "id,prompt,seed" : "p" + i + ",a teapot number " + i + "," + (i == ROWS ? -1 : 7))
                .toList());
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private int zbatch(String command, String outDir, String... extra) {
        zbatch = ZbatchRun.onSegmindAt(sandbox.baseUrl(), "cache-test", dir.resolve("p.csv"), dir.resolve(outDir))
                .with("--zbatch.defaults.image_format=png", "--zbatch.cache.dir=" + dir.resolve("cache"));
        return zbatch.execute(command, extra);
    }

    private String output() {
        return zbatch.output();
    }

    private Path image(String outDir, String id) throws Exception {
        JsonNode row = Manifest.rows(dir.resolve(outDir)).stream().filter(r -> r.get("id").asString().equals(id))
                .findFirst().orElseThrow();
        return dir.resolve(outDir).resolve(row.get("images").get(0).get("file").asString());
    }

    private List<Path> cachedImages() throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("cache/entries"))) {
            return files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
        }
    }

    @Test
    void aSecondFolderWithTheSameFixedSeedRequestsSendsNothingForThemAndGetsTheSameBytes() throws Exception {
        assertThat(zbatch("run", "first")).as(output()).isZero();
        assertThat(sandbox.stats().submissions()).isEqualTo(ROWS);
        assertThat(cachedImages()).as("the three fixed-seed requests, not the random one").hasSize(ROWS - 1);

        assertThat(zbatch("estimate", "second", "--json")).as(output()).isZero();
        JsonNode estimate = JsonMapper.builder().build().readTree(output());
        assertThat(estimate.get("cached_rows").asLong()).isEqualTo(ROWS - 1);
        assertThat(estimate.get("requests").asLong()).isEqualTo(1);

        assertThat(zbatch("run", "second")).as(output()).isZero();
        assertThat(sandbox.stats().submissions()).as("only the random-seed row was sent again").isEqualTo(ROWS + 1);
        for (JsonNode row : Manifest.rows(dir.resolve("second"))) {
            String id = row.get("id").asString();
            assertThat(row.get("state").asString()).isEqualTo("COMPLETED");
            if (id.equals("p" + ROWS)) {
                assertThat(row.has("from_cache")).isFalse();
                continue;
            }
            assertThat(row.get("from_cache").asString()).isEqualTo("job zbatch in " + dir.resolve("first").toAbsolutePath());
            assertThat(row.get("cost_usd").decimalValue()).isZero();
            assertThat(Files.readAllBytes(image("second", id))).isEqualTo(Files.readAllBytes(image("first", id)));
        }

        deleteTree(dir.resolve("first"));
        assertThat(zbatch("run", "third")).as("the cache outlives the run that filled it: " + output()).isZero();
        assertThat(sandbox.stats().submissions()).isEqualTo(ROWS + 2);
    }

    @Test
    void aDamagedEntryIsNotServedAndTheRowIsMadeAgainAndReplacesIt() throws Exception {
        assertThat(zbatch("run", "first")).as(output()).isZero();
        Path damaged = cachedImages().get(0);
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(damaged, bytes);

        assertThat(zbatch("run", "second")).as(output()).isZero();

        assertThat(sandbox.stats().submissions()).as("the damaged one and the random one").isEqualTo(ROWS + 2);
        assertThat(Manifest.rows(dir.resolve("second")).stream().filter(r -> r.has("from_cache")).count())
                .isEqualTo(ROWS - 2);
        assertThat(zbatch("run", "third")).as(output()).isZero();
        assertThat(sandbox.stats().submissions()).as("the entry was made good again").isEqualTo(ROWS + 3);
        try (Stream<Path> left = Files.list(dir.resolve("cache/tmp"))) {
            assertThat(left).as("no half-written entry is left").isEmpty();
        }
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
