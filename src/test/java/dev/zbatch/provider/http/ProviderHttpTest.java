package dev.zbatch.provider.http;

import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.ProviderException.Kind;
import org.apache.hc.core5.http.message.BasicHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What ProviderHttp does itself rather than leave to HttpClient: the hard deadline on an exchange, failing the calls
 * under way at close, decoding compressed answers, and a proxy from the system properties. Status codes, refused connections, hang-ups and timeouts
 * are covered through the providers (SegmindErrorHandlingTest, PixazoErrorHandlingTest).
 */
class ProviderHttpTest {

    private static final byte[] BODY = "{\"prompt\":\"a red fox\"}".getBytes(StandardCharsets.UTF_8);

    private record Settings(URI baseUrl, String apiKey, Duration connectTimeout, Duration responseTimeout,
                            int maxConnections) implements ConnectionSettings {
    }

    private RawServer server;
    private ProviderHttp http;

    @AfterEach
    void stop() throws IOException {
        if (http != null) http.close();
        if (server != null) server.close();
    }

    private Settings settings(Duration responseTimeout, int maxConnections) {
        return new Settings(server.uri("/"), "sk-test", Duration.ofMillis(200), responseTimeout, maxConnections);
    }

    private static ProviderHttp client(Settings settings) {
        HttpErrors errors = new HttpErrors(new HttpErrors.Dialect("Test", "TEST_API_KEY", Set.of(402),
                "Test: out of credits (HTTP %d)", "gone", json -> null, HttpErrors.NO_RULES), "sk-test",
                JsonMapper.builder().build());
        return new ProviderHttp(settings, new ProviderHttp.Conventions("x-api-key", Map.of(), Map.of(), true),
                errors);
    }

    @Test
    void aServerThatTricklesItsAnswerIsCutAtTheDeadline() throws Exception {
        server = new RawServer(ProviderHttpTest::trickle);
        Settings settings = settings(Duration.ofMillis(500), 2); // never reached: a byte comes every 100 ms
        http = client(settings);
        Duration deadline = ProviderHttp.deadline(settings);

        var submit = timed(() -> http.postJson(Call.SUBMIT, server.uri("/v1/generate"), BODY));
        var poll = timed(() -> http.get(Call.STATUS, server.uri("/v1/status/1"), true, ProviderHttp.JSON));

        for (Timed outcome : new Timed[]{submit.get(30, TimeUnit.SECONDS), poll.get(30, TimeUnit.SECONDS)}) {
            assertThat(outcome.took()).isBetween(deadline.minusMillis(100), deadline.plusSeconds(3));
            assertThat(outcome.failure().getMessage()).contains("no answer in time");
        }
        assertThat(submit.get().failure().kind()).as("the request may have been accepted")
                .isEqualTo(Kind.AMBIGUOUS_SUBMIT);
        assertThat(poll.get().failure().kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(server.requests()).as("nothing resent").isEqualTo(2);
    }

    @Test
    void closeFailsTheCallsUnderWayAtOnce() throws Exception {
        server = new RawServer(out -> Thread.sleep(30_000)); // reads the request, never answers
        http = client(settings(Duration.ofSeconds(10), 1));

        var sent = timed(() -> http.postJson(Call.SUBMIT, server.uri("/v1/generate"), BODY));
        awaitRequests(1);
        var waiting = timed(() -> http.postJson(Call.SUBMIT, server.uri("/v1/generate"), BODY)); // no free connection
        Thread.sleep(300);
        http.close();

        Timed first = sent.get(30, TimeUnit.SECONDS);
        Timed second = waiting.get(30, TimeUnit.SECONDS);
        assertThat(first.took()).isLessThan(Duration.ofSeconds(3));
        assertThat(first.failure().kind()).as("it was sent").isEqualTo(Kind.AMBIGUOUS_SUBMIT);
        assertThat(second.took()).isLessThan(Duration.ofSeconds(3));
        assertThat(second.failure().kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(second.failure().getMessage()).contains("the HTTP client is shut down; nothing was sent");
        assertThat(server.requests()).isEqualTo(1);
        assertThatThrownBy(() -> http.get(Call.STATUS, server.uri("/v1/status/1"), true, ProviderHttp.JSON))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TRANSIENT))
                .hasMessageContaining("the HTTP client is shut down; nothing was sent");
    }

    @Test
    void aGzipEncodedAnswerIsDecoded() throws Exception {
        byte[] gzipped = gzip("{\"status\":\"COMPLETED\",\"id\":\"req-7\"}");
        server = new RawServer(out -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                    + "Content-Length: " + gzipped.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(gzipped);
            out.flush();
        });
        http = client(settings(Duration.ofSeconds(5), 2));

        ProviderHttp.Answer answer = http.postJson(Call.SUBMIT, server.uri("/v1/generate"), BODY);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("content-type")).isEqualTo("application/json");
        assertThat(http.jsonObject(Call.SUBMIT, answer).get("id").asString()).isEqualTo("req-7");
    }

    @Test
    void anHttpProxySetInSystemPropertiesCarriesTheRequests() throws Exception {
        byte[] json = "{\"status\":\"COMPLETED\"}".getBytes(StandardCharsets.UTF_8);
        server = new RawServer(out -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + "Content-Length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(json);
            out.flush();
        });
        Map<String, String> proxy = Map.of("http.proxyHost", "127.0.0.1", "http.proxyPort", "" + server.port());
        Map<String, String> before = new HashMap<>();
        proxy.forEach((name, value) -> before.put(name, System.setProperty(name, value)));
        try {
            http = client(settings(Duration.ofSeconds(5), 2));
            URI elsewhere = URI.create("http://cdn.zbatch.invalid/images/1.png");

            for (int call = 0; call < 2; call++) { // the second one finds the proxy remembered
                assertThat(http.get(Call.RESULT, elsewhere, false, ProviderHttp.JSON).status()).isEqualTo(200);
            }
        } finally {
            before.forEach((name, value) -> {
                if (value == null) System.clearProperty(name);
                else System.setProperty(name, value);
            });
        }
        assertThat(server.requestLines()).as("absolute URIs: the server is a proxy")
                .containsExactly("GET http://cdn.zbatch.invalid/images/1.png HTTP/1.1",
                        "GET http://cdn.zbatch.invalid/images/1.png HTTP/1.1");
    }

    @Test
    void anAnswersHeaderIsTheFirstOfThatNameInAnyCase() {
        ProviderHttp.Answer answer = new ProviderHttp.Answer(URI.create("https://api.example.test/"), 200, null,
                List.of(new BasicHeader("X-Credits", "1"), new BasicHeader("x-credits", "2")), false);

        assertThat(answer.header("X-CREDITS")).isEqualTo("1");
        assertThat(answer.header("Location")).isNull();
        assertThat(answer.body()).isEmpty();
    }

    /** Headers that promise a long body, then one byte every 100 ms for up to 30 s. */
    private static void trickle(OutputStream out) throws Exception {
        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 300; i++) {
            out.write(' ');
            out.flush();
            Thread.sleep(100);
        }
    }

    private record Timed(Duration took, ProviderException failure) {
    }

    /** Runs the call on another thread; it is expected to fail. */
    private static CompletableFuture<Timed> timed(Supplier<ProviderHttp.Answer> call) {
        return CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            try {
                call.get();
                throw new AssertionError("the call did not fail");
            } catch (ProviderException e) {
                return new Timed(Duration.ofNanos(System.nanoTime() - start), e);
            }
        }, runnable -> new Thread(runnable).start());
    }

    private void awaitRequests(int count) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.requests() < count && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(server.requests()).isEqualTo(count);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
