package dev.zbatch.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.zbatch.sandbox.SandboxImages;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Pixazo gateway for run-level tests of situations the sandbox does not stage: it accepts a given
 * number of submissions, then answers 402 (insufficient balance) until topped up. Jobs complete at once.
 */
public final class PixazoStub implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final Map<String, JsonNode> jobs = new ConcurrentHashMap<>();
    private final Map<String, Integer> acceptedPerPrompt = new ConcurrentHashMap<>();
    private final AtomicInteger balance;
    private final AtomicInteger refused = new AtomicInteger();

    public PixazoStub(int acceptBeforeBroke) throws IOException {
        this.balance = new AtomicInteger(acceptBeforeBroke);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/z-image-turbo-834/v1/z-image-turbo-request", this::submit);
        server.createContext("/v2/requests/status/", this::status);
        server.createContext("/media/", this::media);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void topUp(int submissions) {
        balance.addAndGet(submissions);
    }

    public int accepted() {
        return acceptedPerPrompt.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int maxAcceptancesOfOnePrompt() {
        return acceptedPerPrompt.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    public int refused() {
        return refused.get();
    }

    private void submit(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        if (balance.getAndDecrement() <= 0) {
            balance.incrementAndGet();
            refused.incrementAndGet();
            send(exchange, 402, "{\"error\":\"Insufficient Balance\",\"message\":\"Your wallet does not have enough "
                    + "balance.\"}");
            return;
        }
        String id = "z-image-turbo-834_" + UUID.randomUUID();
        jobs.put(id, body);
        acceptedPerPrompt.merge(body.path("prompt").asString(), 1, Integer::sum);
        send(exchange, 202, "{\"request_id\":\"" + id + "\",\"status\":\"QUEUED\",\"polling_url\":\""
                + baseUrl() + "/v2/requests/status/" + id + "\"}");
    }

    private void status(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring("/v2/requests/status/".length());
        if (!jobs.containsKey(id)) {
            send(exchange, 404, "{\"error\":\"Request not found\"}");
            return;
        }
        send(exchange, 200, "{\"request_id\":\"" + id + "\",\"status\":\"COMPLETED\",\"error\":null,"
                + "\"output\":{\"media_url\":[\"" + baseUrl() + "/media/" + id + ".png\"],"
                + "\"media_type\":\"application/octet-stream\"}}");
    }

    private void media(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring("/media/".length());
        JsonNode job = jobs.get(name.replace(".png", ""));
        byte[] png = SandboxImages.render(job.path("prompt").asString(), 1024, 1024, "png", 90, 1);
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, png.length);
        exchange.getResponseBody().write(png);
        exchange.close();
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
