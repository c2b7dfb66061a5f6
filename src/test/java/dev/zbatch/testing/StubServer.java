package dev.zbatch.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A loopback HTTP server that answers scripted replies by method and path and records every request. */
public final class StubServer implements AutoCloseable {

    /** One request as received. Header names are lower-cased. */
    public record Recorded(String method, String path, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A scripted answer. */
    public static final class Reply {
        final int status;
        final byte[] body;
        final Map<String, String> headers = new LinkedHashMap<>();
        long delayMillis;
        boolean hangUp;

        private Reply(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }

        public static Reply json(int status, String json) {
            return new Reply(status, json.getBytes(StandardCharsets.UTF_8)).header("Content-Type", "application/json");
        }

        public static Reply text(int status, String text) {
            return new Reply(status, text.getBytes(StandardCharsets.UTF_8)).header("Content-Type", "text/plain");
        }

        public static Reply bytes(int status, byte[] body, String contentType) {
            return new Reply(status, body).header("Content-Type", contentType);
        }

        public static Reply empty(int status) {
            return new Reply(status, new byte[0]);
        }

        /** Reads the request, then closes the connection without a word. */
        public static Reply hangUp() {
            Reply r = new Reply(0, new byte[0]);
            r.hangUp = true;
            return r;
        }

        public Reply header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Reply delay(long millis) {
            this.delayMillis = millis;
            return this;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();

    public StubServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The server's root as {@code http://127.0.0.1:port}. */
    public URI base() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The same server under another host name, {@code http://localhost:port}. */
    public URI otherHost() {
        return URI.create("http://localhost:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public StubServer on(String method, String path, Reply reply) {
        replies.put(method + " " + path, reply);
        return this;
    }

    public List<Recorded> requests() {
        return new ArrayList<>(requests);
    }

    public Recorded only() {
        if (requests.size() != 1) {
            throw new AssertionError("expected exactly one request, got " + requests);
        }
        return requests.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        String path = exchange.getRequestURI().getRawPath();
        requests.add(new Recorded(exchange.getRequestMethod(), path, headers, body));
        Reply reply = replies.get(exchange.getRequestMethod() + " " + path);
        if (reply == null) {
            reply = Reply.text(599, "no stub for " + exchange.getRequestMethod() + " " + path);
        }
        if (reply.delayMillis > 0) {
            try {
                Thread.sleep(reply.delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (reply.hangUp) {
            exchange.close(); // no response headers sent: the JDK server drops the connection
            return;
        }
        reply.headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(reply.status, reply.body.length == 0 ? -1 : reply.body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body);
        } catch (IOException clientGone) {
            // the client timed out and left
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
