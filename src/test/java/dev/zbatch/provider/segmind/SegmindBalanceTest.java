package dev.zbatch.provider.segmind;

import dev.zbatch.provider.ProviderException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.testing.StubServer;
import dev.zbatch.testing.StubServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code balance()} of both Segmind adapters: GET /v1/get-user-credits, never an exception. */
class SegmindBalanceTest extends SegmindStubFixture {

    private static final String CREDITS = "/v1/get-user-credits";

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(SegmindCredits.class);

    @TempDir
    Path tmp;

    @BeforeEach
    void captureLog() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
        logged.stop();
    }

    private List<ILoggingEvent> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    }

    /** Exactly one WARN line, about the credits, without the key; returns it. */
    private String theOnlyWarning() {
        List<ILoggingEvent> warnings = warnings();
        assertThat(warnings).hasSize(1);
        String line = warnings.get(0).getFormattedMessage();
        assertThat(line).startsWith("could not read Segmind credits: ").doesNotContain(KEY);
        return line;
    }

    // ------------------------------------------------------------------ answers that carry a balance

    @Test
    void aNumberIsTheBalanceAndTheKeyIsSent() {
        stub.on("GET", CREDITS, Reply.json(200, "{\"credits\": 12.5, \"email\": \"someone@example.com\"}"));

        assertThat(provider.balance()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("12.5"));

        StubServer.Recorded request = stub.only();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo(CREDITS);
        assertThat(request.header("x-api-key")).isEqualTo(KEY);
        assertThat(warnings()).isEmpty();
    }

    @Test
    void aNumericStringIsTheBalance() {
        stub.on("GET", CREDITS, Reply.json(200, "{\"credits\":\"3\"}"));
        assertThat(provider.balance()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("3"));
        assertThat(warnings()).isEmpty();
    }

    @Test
    void decimalsAreKeptExactly() {
        stub.on("GET", CREDITS, Reply.json(200, "{\"credits\": 0.1}"));
        assertThat(provider.balance()).contains(new BigDecimal("0.1"));
    }

    @Test
    void aBaseUrlWithAPathKeepsIt() throws Exception {
        stub.on("GET", "/proxy/segmind" + CREDITS, Reply.json(200, "{\"credits\": 7}"));
        try (SegmindAsyncProvider behindProxy = new SegmindAsyncProvider(
                settings(URI.create(stub.base() + "/proxy/segmind/"), Duration.ofSeconds(5)))) {
            assertThat(behindProxy.balance()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("7"));
        }
    }

    @Test
    void theSyncAdapterReadsItTheSameWay() {
        stub.on("GET", CREDITS, Reply.json(200, "{\"credits\": 12.5}"));
        try (SegmindSyncProvider sync = new SegmindSyncProvider(settings(stub.base(), Duration.ofSeconds(5)),
                tmp.resolve("spool"))) {
            assertThat(sync.balance()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("12.5"));
        }
        assertThat(stub.only().header("x-api-key")).isEqualTo(KEY);
    }

    // ------------------------------------------------------------------ failures: empty, one warning, no exception

    /** A refused key is the one failure that is not swallowed: the run stops before its first submission. */
    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void aRefusedKeyIsAnAuthErrorNamingTheVariable(int status) {
        stub.on("GET", CREDITS, Reply.json(status, "{\"error\":\"unknown key " + KEY + "\"}"));
        assertThatThrownBy(() -> provider.balance())
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderException.Kind.AUTH);
                    assertThat(e.getMessage()).contains("SEGMIND_API_KEY").doesNotContain(KEY);
                });
    }

    @ParameterizedTest
    @ValueSource(ints = {406, 429, 500, 502})
    void anHttpErrorIsEmpty(int status) {
        stub.on("GET", CREDITS, Reply.json(status, "{\"error\":\"nope\"}"));
        assertThat(provider.balance()).isEmpty();
        assertThat(theOnlyWarning()).contains("HTTP " + status).contains("nope");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<html>garbage</html>",
            "[1, 2, 3]",
            "{\"balance\": 5}",
            "{\"credits\": null}",
            "{\"credits\": \"lots\"}",
            "{\"credits\": true}",
            "{\"credits\": {\"usd\": 5}}"})
    void aBodyWithoutAUsableBalanceIsEmpty(String body) {
        stub.on("GET", CREDITS, Reply.text(200, body));
        assertThat(provider.balance()).isEmpty();
        theOnlyWarning();
    }

    @Test
    void anEmptyBodyIsEmpty() {
        stub.on("GET", CREDITS, Reply.empty(200));
        assertThat(provider.balance()).isEmpty();
        theOnlyWarning();
    }

    @Test
    void noAnswerInTimeIsEmpty() throws Exception {
        stub.on("GET", CREDITS, Reply.json(200, "{\"credits\": 1}").delay(3_000));
        try (SegmindAsyncProvider impatient = new SegmindAsyncProvider(settings(stub.base(), Duration.ofMillis(300)))) {
            long start = System.nanoTime();
            assertThat(impatient.balance()).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
        }
        assertThat(theOnlyWarning()).contains(CREDITS);
    }

    @Test
    void aDroppedConnectionIsEmpty() {
        stub.on("GET", CREDITS, Reply.hangUp());
        assertThat(provider.balance()).isEmpty();
        theOnlyWarning();
    }

    @Test
    void nothingListeningIsEmpty() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (SegmindAsyncProvider nowhere = new SegmindAsyncProvider(
                settings(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2)))) {
            assertThat(nowhere.balance()).isEmpty();
        }
        theOnlyWarning();
    }

    @Test
    void aClosedProviderIsEmpty() {
        provider.close();
        assertThat(provider.balance()).isEmpty();
        theOnlyWarning();
    }

    @Test
    void aKeyEchoedByTheServerIsRedactedInTheWarning() {
        stub.on("GET", CREDITS, Reply.json(500, "{\"error\":\"unknown key " + KEY + "\"}"));
        assertThat(provider.balance()).isEmpty();
        assertThat(theOnlyWarning()).contains("unknown key ***");
    }

    // ------------------------------------------------------------------ against the sandbox

    @Test
    void theSandboxReportsItsConfiguredCredits() {
        SandboxSettings settings = SandboxSettings.defaults().withRequireApiKey(true)
                .withCredits(new BigDecimal("42.75"));
        try (SandboxServer sandbox = SandboxServer.start(settings);
             SegmindAsyncProvider async = new SegmindAsyncProvider(settings(sandbox.baseUrl(), Duration.ofSeconds(5)));
             SegmindSyncProvider sync = new SegmindSyncProvider(settings(sandbox.baseUrl(), Duration.ofSeconds(5)),
                     tmp.resolve("spool"));
             SegmindAsyncProvider keyless = new SegmindAsyncProvider(new SegmindSettings(sandbox.baseUrl(), null,
                     Duration.ofSeconds(2), Duration.ofSeconds(5), 1))) {
            assertThat(async.balance()).contains(new BigDecimal("42.75"));
            assertThat(sync.balance()).contains(new BigDecimal("42.75"));
            assertThat(async.balance()).as("nothing is deducted").contains(new BigDecimal("42.75"));
            assertThat(warnings()).isEmpty();

            assertThatThrownBy(keyless::balance).isInstanceOf(ProviderException.class)
                    .hasMessageContaining("HTTP 401");
        }
    }
}
