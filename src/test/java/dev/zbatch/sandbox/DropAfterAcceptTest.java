package dev.zbatch.sandbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** dropAfterAccept: submissions accepted (stored, counted, persisted) but answered with a closed connection. */
class DropAfterAcceptTest {

    private final List<SandboxServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(SandboxServer::close);
    }

    private SandboxServer start(SandboxSettings settings) {
        SandboxServer server = SandboxServer.start(settings);
        servers.add(server);
        return server;
    }

    @Test
    void everyApiAcceptsThenClosesTheConnectionWithoutAnAnswer(@TempDir Path stateDir) throws IOException {
        SandboxServer server = start(SandboxSettings.defaults().withLatency(Duration.ZERO, Duration.ZERO)
                .withDropAfterAccept(1.0).withRequireApiKey(true).withStateDir(stateDir));
        SandboxHttpClient segmind = new SandboxHttpClient("key");
        SandboxHttpClient pixazo = new SandboxHttpClient("Ocp-Apim-Subscription-Key", "key");
        String v2Body = "{\"prompt\":\"v2 dropped\"}";
        String v1Body = "{\"prompt\":\"v1 dropped\",\"width\":256,\"height\":256}";
        String pixazoBody = "{\"prompt\":\"pixazo dropped\",\"image_size\":\"square\"}";

        assertIoError(() -> segmind.post(server.baseUrl().resolve("/v2/z-image-turbo"), v2Body));
        assertIoError(() -> segmind.post(server.baseUrl().resolve("/v1/z-image-turbo"), v1Body));
        assertIoError(() -> pixazo.post(server.baseUrl().resolve(PixazoSandboxTest.TURBO), pixazoBody));

        SandboxStats stats = server.stats();
        assertThat(stats.submissions()).isEqualTo(3);
        assertThat(stats.droppedAnswers()).isEqualTo(3);
        assertThat(stats.submissionsOfBody(SandboxStats.bodyKey(v2Body))).isEqualTo(1);
        assertThat(stats.submissionsOfBody(SandboxStats.bodyKey(v1Body))).isEqualTo(1);
        assertThat(stats.submissionsOfBody(SandboxStats.bodyKey(pixazoBody))).isEqualTo(1);
        try (Stream<Path> files = Files.list(stateDir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".json"))).as("persisted").hasSize(3);
        }
        // rejected submissions are still answered
        assertThat(segmind.post(server.baseUrl().resolve("/v2/z-image-turbo"), "{}").status()).isEqualTo(400);
        // and the server keeps serving
        assertThat(segmind.get(server.baseUrl().resolve("/sandbox/stats")).json().get("dropped_answers").asLong())
                .isEqualTo(3);
    }

    @Test
    void aFractionIsDropped() {
        SandboxServer server = start(SandboxSettings.defaults().withLatency(Duration.ZERO, Duration.ZERO)
                .withDropAfterAccept(0.5));
        SandboxHttpClient client = new SandboxHttpClient(null);
        int dropped = 0;
        for (int i = 0; i < 100; i++) {
            try {
                assertThat(client.post(server.baseUrl().resolve("/v2/z-image-turbo"), "{\"prompt\":\"row " + i + "\"}")
                        .status()).isEqualTo(200);
            } catch (UncheckedIOException e) {
                dropped++;
            }
        }
        assertThat(dropped).isBetween(25, 75);
        assertThat(server.stats().droppedAnswers()).isEqualTo(dropped);
        assertThat(server.stats().submissions()).isEqualTo(100);
    }

    private static void assertIoError(Runnable call) {
        assertThatThrownBy(call::run).as("an I/O error, not a response")
                .isInstanceOf(UncheckedIOException.class)
                .cause().isInstanceOf(IOException.class);
    }
}
