package dev.zbatch.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.zbatch.sandbox.SandboxServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider's gateway in front of a {@link SandboxServer}, for tests about keys: it checks the key header itself
 * (only the keys it is told are good pass), counts what reaches it, and can be made to behave like a careless
 * real API that echoes the caller's key in its error texts. Everything the sandbox answers is rewritten to point
 * back here, so every later call (polls, results, images) goes through the gateway as well.
 */
final class KeyGateway implements AutoCloseable {

    private static final Pattern ERROR_TEXT = Pattern.compile("(\"error\"\\s*:\\s*\")([^\"]*)(\")");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SandboxServer sandbox;
    private final String keyHeader;
    private final Set<String> goodKeys = ConcurrentHashMap.newKeySet();
    private volatile int refusalStatus = 401;
    private volatile boolean echoKeyInErrors;
    private volatile String refusePromptsContaining;

    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger submissions = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger refusedSubmissions = new AtomicInteger();
    private final AtomicInteger submissionsAfterRefusal = new AtomicInteger();
    /** System.nanoTime() when the first refusal had been written, or 0. */
    private volatile long firstRefusalSent;

    /** @param keyHeader x-api-key (Segmind) or Ocp-Apim-Subscription-Key (Pixazo) */
    KeyGateway(SandboxServer sandbox, String keyHeader) throws IOException {
        this.sandbox = sandbox;
        this.keyHeader = keyHeader;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    KeyGateway accept(String key) {
        goodKeys.add(key);
        return this;
    }

    /** 401 or 403 for a key that is not good. */
    KeyGateway refuseWith(int status) {
        refusalStatus = status;
        return this;
    }

    /** Error texts of the provider's answers (and of its refusals) quote the key the caller sent. */
    KeyGateway echoKeyInErrors() {
        echoKeyInErrors = true;
        return this;
    }

    /** A submission whose body contains this text is refused with 400, the message quoting the key. */
    KeyGateway refusePromptsContaining(String text) {
        refusePromptsContaining = text;
        return this;
    }

    int requests() {
        return requests.get();
    }

    /** POSTs: submissions (Segmind v2, Pixazo). */
    int submissions() {
        return submissions.get();
    }

    /** Requests answered with the refusal status (wrong key). */
    int refused() {
        return refused.get();
    }

    int refusedSubmissions() {
        return refusedSubmissions.get();
    }

    /**
     * Submissions that arrived more than {@code grace} after the first refusal had been answered: sent by a client
     * that had been told, on a submission, that its key is wrong (counted as they arrive; call after the run).
     */
    int submissionsArrivedAfterTheFirstRefusal() {
        return submissionsAfterRefusal.get();
    }

    private static final long GRACE_NANOS = Duration.ofMillis(100).toNanos();

    private void handle(HttpExchange exchange) throws IOException {
        try {
            long arrived = System.nanoTime();
            requests.incrementAndGet();
            boolean post = exchange.getRequestMethod().equals("POST");
            if (post) submissions.incrementAndGet();
            long refusedAt = firstRefusalSent;
            if (post && refusedAt != 0 && arrived - refusedAt > GRACE_NANOS) submissionsAfterRefusal.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            String key = exchange.getRequestHeaders().getFirst(keyHeader);
            if (!path.startsWith("/sandbox/images/") && (key == null || !goodKeys.contains(key))) {
                refused.incrementAndGet();
                if (post) refusedSubmissions.incrementAndGet();
                send(exchange, refusalStatus, "application/json", ("{\"error\":\"Invalid API key"
                        + (echoKeyInErrors ? " " + key : "") + "\"}").getBytes(StandardCharsets.UTF_8));
                if (post && firstRefusalSent == 0) firstRefusalSent = System.nanoTime();
                return;
            }
            String refuse = refusePromptsContaining;
            if (post && refuse != null && new String(body, StandardCharsets.UTF_8).contains(refuse)) {
                send(exchange, 400, "application/json", ("{\"error\":\"prompt not allowed for the account of key "
                        + key + "\"}").getBytes(StandardCharsets.UTF_8));
                return;
            }
            forward(exchange, body, key);
        } finally {
            exchange.close();
        }
    }

    private void forward(HttpExchange exchange, byte[] body, String key) throws IOException {
        URI target = URI.create(sandbox.baseUrl() + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null) request.header("Content-Type", contentType);
        if (key != null) request.header(keyHeader, key);
        HttpResponse<byte[]> answer;
        try {
            answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String type = answer.headers().firstValue("Content-Type").orElse("application/octet-stream");
        answer.headers().firstValue("Retry-After").ifPresent(v -> exchange.getResponseHeaders().set("Retry-After", v));
        byte[] out = answer.body();
        if (type.contains("json")) {
            String text = new String(out, StandardCharsets.UTF_8).replace(sandbox.baseUrl().toString(),
                    baseUrl().toString());
            if (echoKeyInErrors) {
                Matcher m = ERROR_TEXT.matcher(text);
                text = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + r.group(2) + " (account key "
                        + key + ")" + r.group(3)));
            }
            out = text.getBytes(StandardCharsets.UTF_8);
        }
        send(exchange, answer.statusCode(), type, out);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
