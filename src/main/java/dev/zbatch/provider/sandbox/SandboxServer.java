package dev.zbatch.provider.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sandbox provider: a loopback HTTP server that speaks Segmind's async v2 wire format (see PROVIDERS.md) and
 * answers with placeholder images that say SANDBOX, so the whole pipeline runs with no key and no network.
 *
 * <pre>
 * POST /v2/z-image-turbo              submit                      200 {request_id, status: QUEUED, poll_url, status_url, response_url}
 * GET  /v2/requests/{id}/status       QUEUED | PROCESSING | COMPLETED (200), FAILED (422), unknown or expired (404)
 * GET  /v2/requests/{id}              result: output = image URL (or base64 with base_64: true), seed, metrics
 * GET  /sandbox/images/{id}.{ext}     the image (rendered on demand)
 * GET  /sandbox/stats                 {@link SandboxStats} as JSON
 * </pre>
 * Behaviour (latency, failures, rate limit, retention, persistence, key) comes from {@link SandboxSettings}.
 */
public final class SandboxServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxServer.class);
    private static final AtomicInteger SERVERS = new AtomicInteger();
    private static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

    private final HttpServer http;
    private final ExecutorService executor;
    private final URI baseUrl;
    private final SandboxStats stats;
    private final JsonMapper mapper;
    private final SegmindV2Endpoints segmind;
    private final SandboxImageEndpoint images;

    private SandboxServer(HttpServer http, ExecutorService executor, SandboxSettings settings, SandboxJobStore store,
                          SandboxStats stats, JsonMapper mapper) {
        this.http = http;
        this.executor = executor;
        this.stats = stats;
        this.mapper = mapper;
        this.baseUrl = URI.create("http://" + SandboxSettings.BIND_ADDRESS + ":" + http.getAddress().getPort());
        this.segmind = new SegmindV2Endpoints(settings, store, stats, mapper, baseUrl.toString());
        this.images = new SandboxImageEndpoint(segmind, stats, mapper);
    }

    /** Starts a server (loading the jobs of {@link SandboxSettings#stateDir()} when set). */
    public static SandboxServer start(SandboxSettings settings) {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        // The JDK server writes headers and body as separate TCP segments; with Nagle on, the body waits for the
        // client's delayed ACK (~40 ms per answer on Linux). Read once, when the JDK server is first used.
        if (System.getProperty(NO_DELAY_PROPERTY) == null) System.setProperty(NO_DELAY_PROPERTY, "true");
        JsonMapper mapper = JsonMapper.builder().build();
        SandboxStats stats = new SandboxStats();
        SandboxJobStore store = new SandboxJobStore(settings.stateDir(), mapper);
        long keepSince = System.currentTimeMillis() - settings.retention().toMillis();
        for (SandboxJob job : store.load(keepSince)) stats.recordRestoredSubmission(job.bodyKey());

        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(SandboxSettings.BIND_ADDRESS),
                    settings.port()), 256);
        } catch (IOException e) {
            throw new UncheckedIOException("Sandbox: cannot listen on " + SandboxSettings.BIND_ADDRESS + ":"
                    + settings.port(), e);
        }
        ExecutorService executor = newExecutor();
        http.setExecutor(executor);
        SandboxServer server = new SandboxServer(http, executor, settings, store, stats, mapper);
        http.createContext("/", server::handle);
        http.start();
        log.info("Sandbox provider listening on {} ({} jobs restored from {})", server.baseUrl,
                stats.restoredSubmissions(), settings.stateDir() == null ? "nowhere: memory only" : settings.stateDir());
        return server;
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The live counters (thread-safe; read them at any time). */
    public SandboxStats stats() {
        return stats;
    }

    /** Stops listening at once; calls in progress are cut off. Persisted jobs stay in the state directory. */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) {
        stats.recordRequest();
        try {
            route(exchange);
        } catch (IOException e) {
            // the client went away; nothing to answer
            log.debug("Sandbox: I/O error answering {} {}: {}", exchange.getRequestMethod(),
                    exchange.getRequestURI(), e.toString());
        } catch (RuntimeException e) {
            log.warn("Sandbox: internal error answering {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            try {
                SandboxHttp.sendError(exchange, 500, "Sandbox internal error: " + e.getMessage(), mapper);
            } catch (IOException | RuntimeException ignored) {
                // headers may already be sent
            }
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getRawPath().split("/", -1); // "", "v2", ...
        int n = parts.length;
        if (n >= 3 && parts[1].equals("v2")) {
            if (!segmind.authorized(exchange)) return;
            if (n == 5 && parts[2].equals("requests") && parts[4].equals("status") && !parts[3].isEmpty()) {
                if (allowed(exchange, "GET")) segmind.status(exchange, parts[3]);
            } else if (n == 4 && parts[2].equals("requests") && !parts[3].isEmpty()) {
                if (allowed(exchange, "GET")) segmind.result(exchange, parts[3]);
            } else if (n == 3 && !parts[2].isEmpty() && !parts[2].equals("requests")) {
                if (allowed(exchange, "POST")) segmind.submit(exchange, parts[2]);
            } else {
                SandboxHttp.sendError(exchange, 404, "Not found", mapper);
            }
        } else if (n == 4 && parts[1].equals("sandbox") && parts[2].equals("images") && !parts[3].isEmpty()) {
            if (allowed(exchange, "GET", "HEAD")) images.download(exchange, parts[3]);
        } else if (n == 3 && parts[1].equals("sandbox") && parts[2].equals("stats")) {
            if (allowed(exchange, "GET")) SandboxHttp.sendJson(exchange, 200, stats.toMap(), mapper);
        } else {
            SandboxHttp.sendError(exchange, 404, "Not found", mapper);
        }
    }

    private boolean allowed(HttpExchange exchange, String... methods) throws IOException {
        for (String method : methods) if (method.equals(exchange.getRequestMethod())) return true;
        exchange.getResponseHeaders().set("Allow", String.join(", ", methods));
        SandboxHttp.sendError(exchange, 405, "Method not allowed", mapper);
        return false;
    }

    private static ExecutorService newExecutor() {
        int threads = Math.max(8, Runtime.getRuntime().availableProcessors() * 4);
        int server = SERVERS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "zbatch-sandbox-" + server + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}
