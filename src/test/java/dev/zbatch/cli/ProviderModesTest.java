package dev.zbatch.cli;

import com.opencsv.CSVReader;
import dev.zbatch.testing.Images;
import dev.zbatch.testing.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every provider mode, end to end on the embedded sandbox: Pixazo Turbo and Base, Segmind sync, webhooks. */
class ProviderModesTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int run(Path input, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--input", input.toString(),
                "--out", dir.resolve("out").toString(),
                "--zbatch.sandbox.min-latency=20ms", "--zbatch.sandbox.max-latency=150ms",
                "--zbatch.collect.first-poll-delay=50ms", "--zbatch.collect.max-poll-interval=200ms"));
        args.addAll(List.of(extra));
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        return Zbatch.execute(args.toArray(String[]::new), print, print);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void pixazoTurboWithThreeImagesPerRowWritesEveryImageUnderItsRow() throws Exception {
        Path input = Files.writeString(dir.resolve("p.csv"), """
                id,prompt,num_images,width,height
                harbour,a quiet harbour at dawn,3,1024,768
                tower,a tall clock tower,1,768,1024
                """);

        int code = run(input, "--zbatch.sandbox.api=pixazo", "--model", "z-image-turbo",
                "--zbatch.defaults.image_format=png");

        assertThat(code).as(output()).isEqualTo(0);
        List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
        assertThat(rows).hasSize(2);
        JsonNode harbour = rows.get(0);
        assertThat(harbour.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(harbour.get("params").get("image_size").asString()).isEqualTo("landscape_4_3");
        assertThat(harbour.get("images")).extracting(i -> i.get("file").asString())
                .containsExactly("images/harbour-1.png", "images/harbour-2.png", "images/harbour-3.png");
        List<String> hashes = new ArrayList<>();
        for (JsonNode image : harbour.get("images")) {
            Path file = dir.resolve("out").resolve(image.get("file").asString());
            BufferedImage decoded = Images.decode(file);
            assertThat(decoded.getWidth() * 3).isEqualTo(decoded.getHeight() * 4);
            assertThat(Images.sha256(file)).isEqualTo(image.get("sha256").asString());
            hashes.add(image.get("sha256").asString());
        }
        assertThat(hashes).doesNotHaveDuplicates();
        assertThat(rows.get(1).get("images").get(0).get("file").asString()).isEqualTo("images/tower.png");
        try (CSVReader csv = new CSVReader(Files.newBufferedReader(dir.resolve("out/manifest.csv")))) {
            assertThat(csv.readAll()).hasSize(1 + 3 + 1); // one line per image
        }
    }

    @Test
    void pixazoBaseSendsItsOwnDefaults() throws Exception {
        Path input = Files.writeString(dir.resolve("p.csv"), "prompt\ngrandmother knitting by a window\n");

        int code = run(input, "--zbatch.sandbox.api=pixazo", "--model", "z-image-base");

        assertThat(code).as(output()).isEqualTo(0);
        JsonNode row = Manifest.rows(dir.resolve("out")).get(0);
        assertThat(row.get("model").asString()).isEqualTo("z-image-base");
        assertThat(row.get("params").get("steps").asInt()).isEqualTo(28);
        assertThat(row.get("params").get("guidance_scale").asDouble()).isEqualTo(4.0);
        assertThat(Images.decode(dir.resolve("out").resolve(row.get("images").get(0).get("file").asString()))
                .getWidth()).isPositive();
    }

    @Test
    void anUnsupportedRatioIsRejectedAndTheRestGoesOn() throws Exception {
        Path input = Files.writeString(dir.resolve("p.csv"), "prompt,width,height\nok,1024,1024\nodd,1000,700\n");

        int code = run(input, "--zbatch.sandbox.api=pixazo");

        assertThat(code).as(output()).isEqualTo(3);
        List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
        assertThat(rows.get(0).get("state").asString()).isEqualTo("COMPLETED");
        assertThat(rows.get(1).get("state").asString()).isEqualTo("REJECTED");
        assertThat(rows.get(1).get("error").asString()).contains("4:3 (landscape_4_3)");
    }

    @Test
    void pixazoSystemErrorsAreSentAgainABoundedNumberOfTimes() throws Exception {
        Path input = Files.writeString(dir.resolve("p.csv"), "prompt\nfirst\nsecond\n");

        int code = run(input, "--zbatch.sandbox.api=pixazo", "--zbatch.sandbox.error-rate=1",
                "--zbatch.submit.max-attempts=2");

        assertThat(code).as(output()).isEqualTo(3);
        List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("state").asString()).isEqualTo("FAILED");
            assertThat(r.get("attempts").asInt()).isEqualTo(2);
            assertThat(r.get("error").asString()).contains("after 2 attempts");
        });
        assertThat(sandboxJobFiles()).isEqualTo(4); // two rows, two attempts each
    }

    @Test
    void segmindSyncWritesTheImageTheCallAnswered() throws Exception {
        Path input = Files.writeString(dir.resolve("p.csv"), "id,prompt\nfox,a red fox\nowl,an owl at night\n");

        int code = run(input, "--zbatch.providers.segmind.mode=sync", "--zbatch.defaults.image_format=jpeg",
                "--zbatch.defaults.width=512", "--zbatch.defaults.height=512");

        assertThat(code).as(output()).isEqualTo(0);
        List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
        assertThat(rows).hasSize(2).allSatisfy(r -> assertThat(r.get("state").asString()).isEqualTo("COMPLETED"));
        Path fox = dir.resolve("out/images/fox.jpg");
        assertThat(Images.decode(fox).getWidth()).isEqualTo(512);
        assertThat(Images.sha256(fox)).isEqualTo(rows.get(0).get("images").get(0).get("sha256").asString());
    }

    @Test
    void webhookDeliveriesCompleteRowsRepeatsAreHarmlessAndAWrongTokenIsRefused() throws Exception {
        Path input = Files.writeString(dir.resolve("p.csv"), "prompt\n" + String.join("\n",
                Stream.iterate(1, i -> i + 1).limit(8).map(i -> "webhook prompt " + i).toList()) + "\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;

        // polls only every 10 minutes: the run can only finish quickly through deliveries
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> run(input,
                "--zbatch.sandbox.api=pixazo", "--zbatch.sandbox.webhook-repeats=2",
                "--zbatch.providers.pixazo.webhook.public-url=" + base,
                "--zbatch.providers.pixazo.webhook.bind-address=127.0.0.1",
                "--zbatch.providers.pixazo.webhook.port=" + port,
                "--zbatch.providers.pixazo.webhook.fallback-poll-interval=10m"));
        int wrongToken = postUntilListening(URI.create(base + "/pixazo/webhook/not-the-token"));
        int code = running.get(60, TimeUnit.SECONDS);

        assertThat(wrongToken).isEqualTo(404);
        assertThat(code).as(output()).isEqualTo(0);
        List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
        assertThat(rows).hasSize(8).allSatisfy(r -> {
            assertThat(r.get("state").asString()).isEqualTo("COMPLETED");
            assertThat(r.get("images")).hasSize(1);
        });
        assertThat(sandboxJobFiles()).isEqualTo(8);
    }

    /** POSTs a fake delivery once the run's webhook endpoint is up; returns the HTTP status. */
    private static int postUntilListening(URI uri) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString("{\"request_id\":\"x\",\"status\":\"COMPLETED\"}"))
                .header("Content-Type", "application/json").build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (java.net.ConnectException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(50);
            }
        }
    }

    private long sandboxJobFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("out/.zbatch/sandbox"))) {
            return files.filter(p -> p.toString().endsWith(".json")).count();
        }
    }
}
