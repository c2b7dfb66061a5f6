package dev.zbatch.sandbox;

import com.sun.net.httpserver.HttpExchange;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** Small helpers to answer a JDK {@link HttpExchange}: JSON bodies, Segmind-style errors, raw bytes. */
final class SandboxHttp {

    /** Request bodies larger than this are refused (413). */
    static final int MAX_BODY_BYTES = 1 << 20;

    private SandboxHttp() {
    }

    static void sendJson(HttpExchange exchange, int status, Object body, JsonMapper mapper) throws IOException {
        sendBytes(exchange, status, "application/json", mapper.writeValueAsBytes(body));
    }

    /** Answers {@code {"error": message}}, as Segmind's error bodies do. */
    static void sendError(HttpExchange exchange, int status, String message, JsonMapper mapper) throws IOException {
        sendJson(exchange, status, Map.of("error", message), mapper);
    }

    static void sendBytes(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * Answers 200 with the full {@code Content-Length} of {@code body} but sends only its first half, then leaves
     * the rest unwritten: closing the exchange with bytes missing closes the connection (see {@link CoreHttpExchange}),
     * so the client reads a short body followed by end of stream.
     */
    static void sendTruncated(HttpExchange exchange, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, body.length);
        OutputStream out = exchange.getResponseBody();
        out.write(body, 0, body.length / 2);
        out.flush();
        exchange.close();
    }

    /** The request body, or null when it exceeds {@link #MAX_BODY_BYTES}. */
    static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            return body.length > MAX_BODY_BYTES ? null : body;
        }
    }

    static String header(HttpExchange exchange, String name) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null ? "" : value.strip();
    }
}
