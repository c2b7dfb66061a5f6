package dev.zbatch.provider.pixazo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.zbatch.provider.http.JsonFields;
import dev.zbatch.provider.http.ProviderHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The endpoint Pixazo POSTs status bodies to when a submit carried {@code X-Webhook-URL}
 * ({@link PixazoSettings#webhookUrl()} = {@link #callbackUrl(URI)}).
 *
 * <p>Only {@code POST /pixazo/webhook/<token>} is served, where the token is 32 random hex characters made for
 * this run: anything else is 404 (the path is not revealed), another method 405, a body over 1 MiB 413, a body
 * that is not a JSON object with a {@code request_id} 400; an accepted delivery is 204. Deliveries are stored by
 * request id, latest first, except that a terminal status (COMPLETED, FAILED, ERROR) is never replaced by a
 * pending one; repeats are harmless and counted. The token is never logged.
 *
 * <p>Deliveries are kept in memory only: after a restart, requests are polled as usual.
 */
public final class PixazoWebhookReceiver implements PixazoDeliveries, AutoCloseable {

    public static final String PATH_PREFIX = "/pixazo/webhook/";
    static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    private static final Logger log = LoggerFactory.getLogger(PixazoWebhookReceiver.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final String token;
    private final byte[] expectedPath;
    private final Consumer<String> onDelivery;
    private final ObjectMapper json = JsonMapper.builder().build();
    /** request id → the latest body, with its parsed form for comparison. */
    private final Map<String, Stored> bodies = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private record Stored(String text, JsonNode node, boolean terminal) {
    }

    private PixazoWebhookReceiver(HttpServer server, ExecutorService executor, String token,
                                  Consumer<String> onDelivery) {
        this.server = server;
        this.executor = executor;
        this.token = token;
        this.expectedPath = (PATH_PREFIX + token).getBytes(StandardCharsets.US_ASCII);
        this.onDelivery = onDelivery;
    }

    /**
     * Starts listening.
     *
     * @param bindAddress the local address to listen on, e.g. {@code 127.0.0.1} behind a tunnel or proxy, or
     *                    {@code 0.0.0.0}
     * @param port        0 for a free port (see {@link #port()})
     * @param onDelivery  called with the request id after each accepted delivery (repeats included), on the
     *                    server's thread, after the body is stored and before the 204 is sent; may be null. It
     *                    must be quick and idempotent; an exception from it is logged, the delivery still 204
     */
    public static PixazoWebhookReceiver start(String bindAddress, int port, Consumer<String> onDelivery) {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, was " + port);
        }
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true"); // read once, when the JDK server first loads
        }
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen for Pixazo webhooks on " + bindAddress + ":" + port
                    + ": " + e.getMessage(), e);
        }
        CustomizableThreadFactory named = new CustomizableThreadFactory("pixazo-webhook-");
        named.setDaemon(true);
        ExecutorService executor = Executors.newFixedThreadPool(4, named);
        PixazoWebhookReceiver receiver = new PixazoWebhookReceiver(server, executor, token, onDelivery);
        server.createContext("/", receiver::handle);
        server.setExecutor(executor);
        server.start();
        log.info("Pixazo webhook receiver listening on {}:{}", bindAddress, receiver.port());
        return receiver;
    }

    /** The local port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * The URL to give Pixazo as {@code X-Webhook-URL}: {@code publicUrl + "/pixazo/webhook/" + token}. It holds
     * the secret token: do not log it.
     *
     * @param publicUrl how Pixazo reaches this receiver (a tunnel or reverse proxy in front of {@link #port()}),
     *                  with or without a trailing slash
     */
    public URI callbackUrl(URI publicUrl) {
        if (!ProviderHttp.isHttp(publicUrl)) {
            throw new IllegalArgumentException("the public webhook URL must be an absolute http(s) URL: " + publicUrl);
        }
        if (publicUrl.getRawQuery() != null || publicUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("the public webhook URL must have no query or fragment: " + publicUrl);
        }
        String base = publicUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + PATH_PREFIX + token);
    }

    @Override
    public Optional<String> delivered(String requestId) {
        Stored s = requestId == null ? null : bodies.get(requestId);
        return s == null ? Optional.empty() : Optional.of(s.text());
    }

    /** Deliveries answered 204, repeats included. */
    public long accepted() {
        return accepted.get();
    }

    /** Requests refused: wrong or missing token (404), other methods (405), too large (413), bad JSON (400). */
    public long rejected() {
        return rejected.get();
    }

    /** Accepted deliveries that repeated what was already stored for their request id. */
    public long duplicates() {
        return duplicates.get();
    }

    // ------------------------------------------------------------------------------------------------ serving

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path == null || !MessageDigest.isEqual(path.getBytes(StandardCharsets.UTF_8), expectedPath)) {
                // the path (which may hold a guessed token) is not logged
                refuse(exchange, 404, "not found");
                log.debug("Pixazo webhook: refused a {} to an unknown path from {}", exchange.getRequestMethod(),
                        exchange.getRemoteAddress());
                return;
            }
            if (!"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                refuse(exchange, 405, "method not allowed");
                return;
            }
            byte[] body = readBody(exchange);
            if (body == null) {
                refuse(exchange, 413, "body too large");
                return;
            }
            JsonNode node;
            try {
                node = json.readTree(body);
            } catch (JacksonException notJson) {
                refuse(exchange, 400, "not JSON");
                return;
            }
            String requestId = node != null && node.isObject() ? JsonFields.text(node, "request_id") : null;
            if (requestId == null) {
                refuse(exchange, 400, "a JSON object with a request_id is expected");
                return;
            }
            String text = new String(body, StandardCharsets.UTF_8);
            boolean duplicate = store(requestId, text, node);
            accepted.incrementAndGet();
            if (duplicate) {
                duplicates.incrementAndGet();
            }
            log.debug("Pixazo webhook: {} delivery for {} (status {})", duplicate ? "repeated" : "accepted",
                    requestId, JsonFields.status(node));
            // before the answer: once Pixazo (or a test) sees the 204, the callback has run
            if (onDelivery != null) {
                try {
                    onDelivery.accept(requestId);
                } catch (RuntimeException e) {
                    log.warn("Pixazo webhook: the delivery callback failed for {}: {}", requestId, e.toString());
                }
            }
            exchange.sendResponseHeaders(204, -1);
        } catch (IOException | RuntimeException e) {
            log.debug("Pixazo webhook: exchange failed: {}", e.toString());
            throw e;
        }
    }

    /**
     * Stores a delivery: the latest wins, except that a terminal body is never replaced by a pending one.
     *
     * @return true when it repeats what was stored (same JSON)
     */
    private boolean store(String requestId, String text, JsonNode node) {
        boolean terminal = PixazoWire.TERMINAL.contains(JsonFields.status(node));
        boolean[] duplicate = new boolean[1];
        bodies.compute(requestId, (id, old) -> {
            if (old != null && old.node().equals(node)) {
                duplicate[0] = true;
                return old;
            }
            if (old != null && old.terminal() && !terminal) {
                return old; // a late QUEUED/PROCESSING never undoes a result
            }
            return new Stored(text, node, terminal);
        });
        return duplicate[0];
    }

    /** The body, or null when it is over {@link #MAX_BODY_BYTES} (never more than that plus one byte is read). */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            return body.length > MAX_BODY_BYTES ? null : body;
        }
    }

    private void refuse(HttpExchange exchange, int status, String message) throws IOException {
        rejected.incrementAndGet();
        byte[] text = (message + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, text.length);
        exchange.getResponseBody().write(text);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "PixazoWebhookReceiver[port=" + port() + ", accepted=" + accepted + ", rejected=" + rejected
                + ", duplicates=" + duplicates + "]";
    }
}
