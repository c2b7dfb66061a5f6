package dev.zbatch.testing;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real headless Chromium, driven over the DevTools protocol (a WebSocket): open a page, run an expression in
 * it, click where a user would, take a screenshot. Dialogs (alert, confirm) are recorded and dismissed.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern DEVTOOLS_URL = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger nextId = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    /** The browser on the PATH (chromium, chromium-browser, google-chrome), if any. */
    public static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(candidate)) return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public static HeadlessChromium start(Path executable, int width, int height) throws Exception {
        Path profile = Files.createTempDirectory("zbatch-chromium-");
        Process process = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--hide-scrollbars", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String browserUrl = devToolsUrl(process);
            URI browser = URI.create(browserUrl);
            return new HeadlessChromium(process, profile, pageSocketUrl(browser.getHost(), browser.getPort()));
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private HeadlessChromium(Process process, Path profile, URI pageSocket) throws Exception {
        this.process = process;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT)
                .buildAsync(pageSocket, new Listener()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        send("Page.enable", JSON.createObjectNode());
        send("Runtime.enable", JSON.createObjectNode());
        send("Log.enable", JSON.createObjectNode());
    }

    /** Opens {@code url} and waits for its load event. */
    public void open(URI url) throws Exception {
        loaded = new CompletableFuture<>();
        ObjectNode params = JSON.createObjectNode().put("url", url.toString());
        JsonNode result = send("Page.navigate", params);
        if (result.has("errorText")) throw new IOException("cannot open " + url + ": " + result.get("errorText"));
        loaded.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The value of a JavaScript expression in the page; a promise is awaited. */
    public JsonNode evaluate(String expression) throws Exception {
        ObjectNode params = JSON.createObjectNode().put("expression", expression).put("awaitPromise", true)
                .put("returnByValue", true);
        JsonNode result = send("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) throw new IllegalStateException("script failed: " + result);
        return result.get("result").path("value");
    }

    /** A left click at the centre of the first element that {@code selector} matches, as a mouse would. */
    public void click(String selector) throws Exception {
        JsonNode box = evaluate("(() => { const e = document.querySelector(" + JSON.writeValueAsString(selector)
                + "); e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
        for (String type : List.of("mousePressed", "mouseReleased")) {
            send("Input.dispatchMouseEvent", JSON.createObjectNode().put("type", type)
                    .put("x", box.get("x").asDouble()).put("y", box.get("y").asDouble())
                    .put("button", "left").put("clickCount", 1));
        }
    }

    public void screenshot(Path file) throws Exception {
        JsonNode result = send("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(result.get("data").asString()));
    }

    /** The DevTools events received so far with this method name, e.g. "Page.javascriptDialogOpening". */
    public List<JsonNode> events(String method) {
        synchronized (events) {
            return events.stream().filter(e -> method.equals(e.path("method").asString())).toList();
        }
    }

    private JsonNode send(String method, ObjectNode params) throws Exception {
        int id = nextId.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(JSON.writeValueAsString(message), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode response = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (response.has("error")) throw new IllegalStateException(method + ": " + response.get("error"));
        return response.get("result");
    }

    private void received(String text) {
        JsonNode message = JSON.readTree(text);
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
            if (answer != null) answer.complete(message);
            return;
        }
        events.add(message);
        String method = message.path("method").asString();
        if (method.equals("Page.loadEventFired")) loaded.complete(null);
        if (method.equals("Page.javascriptDialogOpening")) {
            // answered without waiting: this runs on the socket's thread
            ObjectNode message2 = JSON.createObjectNode().put("id", nextId.incrementAndGet())
                    .put("method", "Page.handleJavaScriptDialog");
            message2.set("params", JSON.createObjectNode().put("accept", false));
            socket.sendText(JSON.writeValueAsString(message2), true);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                received(text);
            }
            webSocket.request(1);
            return null;
        }
    }

    private static String devToolsUrl(Process process) throws Exception {
        CompletableFuture<String> url = new CompletableFuture<>();
        StringBuilder stderr = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    Matcher m = DEVTOOLS_URL.matcher(line);
                    if (m.find()) url.complete(m.group(1));
                    else if (!url.isDone()) stderr.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the browser has gone
            }
            url.completeExceptionally(new IOException("chromium did not start: " + stderr));
        }, "chromium-stderr");
        reader.setDaemon(true); // keeps draining stderr so that the browser never blocks on it
        reader.start();
        return url.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private static URI pageSocketUrl(String host, int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest list = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/json/list"))
                .timeout(TIMEOUT).build();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode targets = JSON.readTree(http.send(list, HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode target : targets) {
                if (target.path("type").asString().equals("page")) {
                    return URI.create(target.get("webSocketDebuggerUrl").asString());
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("chromium opened no page");
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        helpers.forEach(ProcessHandle::destroy);
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
