package dev.zbatch.sandbox;

import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox provider: a loopback HTTP server that speaks the wire formats of the hosted APIs,
 * all at once on their own paths, and answers with placeholder images that say SANDBOX, so the whole pipeline runs
 * with no key and no network.
 *
 * <pre>
 * Segmind (key header x-api-key; errors {"error"})
 * POST /v2/z-image-turbo              submit                      200 {request_id, status: QUEUED, poll_url, status_url, response_url}
 * GET  /v2/requests/{id}/status       QUEUED | PROCESSING | COMPLETED (200), FAILED (422), unknown or expired (404)
 * GET  /v2/requests/{id}              result: output = image URL (or base64 with base_64: true), seed, metrics
 * POST /v1/z-image-turbo              sync: waits, then 200 raw image bytes (or {image, seed} with base_64: true); FAILED: 400
 * GET  /v1/get-user-credits           200 {credits: settings.credits, sandbox: true}; 0 once the account ran out
 *
 * Pixazo (key header Ocp-Apim-Subscription-Key; errors {"error", "message"}; optional X-Webhook-URL, loopback only)
 * POST /z-image-turbo-834/v1/z-image-turbo-request   202 {request_id: "z-image-turbo-834_UUID", status: QUEUED, polling_url}
 * POST /z-image-base/v1/z-image-base-request         202 {request_id: "z-image-base_UUID", status: QUEUED, polling_url}
 * GET  /v2/requests/status/{request_id}              200 {request_id, status, model_id, error, output, created_at, updated_at, completed_at}
 *
 * Images and stats (no key)
 * GET  /sandbox/images/{id}.{ext}     a Segmind v2 image (rendered on demand)
 * GET  /sandbox/images/{id}-{n}.{ext} the n-th image (from 0) of a Pixazo job
 * GET  /sandbox/stats                 {@link SandboxStats} as JSON
 * </pre>
 * Behaviour (latency, failures, errors, rate limit, retention, persistence, key, webhook repeats, dropped answers,
 * credits running out, refused keys) comes from {@link SandboxSettings}: once the account has run out
 * ({@link SandboxSettings#outOfCreditsAfter()}) a submission creates no job and is answered Segmind 406 or Pixazo
 * 402; with {@link SandboxSettings#refuseKeys()} the key check answers every API call 401. Injected faults
 * ({@link SandboxFaults}) come from there too, applied here in this order before a call reaches its endpoint:
 * a 5xx (before the key check), the key check, the method check, a 429 burst (API calls only), a slow answer
 * (status, result and image calls); a truncated image is the image endpoint's. All APIs share one job store, one
 * submission rate limit and one account balance.
 */
public final class SandboxServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxServer.class);

    private final SandboxHttpServer http;
    private final URI baseUrl;
    private final SandboxStats stats;
    private final JsonMapper mapper;
    private final SegmindV2Endpoints segmind;
    private final SegmindV1Endpoint segmindV1;
    private final SegmindCreditsEndpoint segmindCredits;
    private final PixazoEndpoints pixazo;
    private final SandboxWebhooks webhooks;
    private final SandboxImageEndpoint images;
    private final SandboxFaultInjector faults;

    private SandboxServer(SandboxHttpServer http, SandboxSettings settings, SandboxJobStore store, SandboxStats stats,
                          JsonMapper mapper) {
        this.http = http;
        this.stats = stats;
        this.mapper = mapper;
        this.baseUrl = URI.create("http://" + SandboxSettings.BIND_ADDRESS + ":" + http.port());
        SandboxJobs jobs = new SandboxJobs(settings, store, stats, baseUrl.toString());
        this.segmind = new SegmindV2Endpoints(jobs, mapper);
        this.segmindV1 = new SegmindV1Endpoint(jobs, mapper);
        this.segmindCredits = new SegmindCreditsEndpoint(jobs, mapper);
        this.pixazo = new PixazoEndpoints(jobs, mapper);
        this.webhooks = new SandboxWebhooks(settings.webhookRepeats(), stats, store, pixazo::statusJson);
        this.pixazo.setWebhooks(webhooks);
        this.faults = new SandboxFaultInjector(settings.faults(), stats);
        this.images = new SandboxImageEndpoint(segmind, pixazo, stats, mapper, faults);
    }

    /** Starts a server (loading the jobs of {@link SandboxSettings#stateDir()} when set). */
    public static SandboxServer start(SandboxSettings settings) {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        JsonMapper mapper = JsonMapper.builder().build();
        SandboxStats stats = new SandboxStats();
        SandboxJobStore store = new SandboxJobStore(settings.stateDir(), mapper);
        long keepSince = System.currentTimeMillis() - settings.retention().toMillis();
        List<SandboxJob> restored = store.load(keepSince);
        for (SandboxJob job : restored) stats.recordRestoredSubmission(job.bodyKey());

        SandboxHttpServer http;
        try {
            http = SandboxHttpServer.bind(InetAddress.getByName(SandboxSettings.BIND_ADDRESS), settings.port());
        } catch (IOException e) {
            throw new UncheckedIOException("Sandbox: cannot listen on " + SandboxSettings.BIND_ADDRESS + ":"
                    + settings.port(), e);
        }
        SandboxServer server = new SandboxServer(http, settings, store, stats, mapper);
        http.start(server::handle);
        // webhooks still owed by an earlier server on the same state directory
        for (SandboxJob job : restored) {
            if (job.submittedAtMillis() >= keepSince && SandboxJob.PIXAZO.equals(job.api())) server.webhooks.schedule(job);
        }
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
        webhooks.close();
        http.close();
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

    /** The endpoints, with what faults may hit them. */
    private enum Endpoint {
        SEGMIND_SUBMIT(Api.SEGMIND, false, "POST"),
        SEGMIND_STATUS(Api.SEGMIND, true, "GET"),
        SEGMIND_RESULT(Api.SEGMIND, true, "GET"),
        SEGMIND_V1(Api.SEGMIND, false, "POST"),
        SEGMIND_CREDITS(Api.SEGMIND, false, "GET"),
        PIXAZO_SUBMIT(Api.PIXAZO, false, "POST"),
        PIXAZO_STATUS(Api.PIXAZO, true, "GET"),
        IMAGE(Api.IMAGES, true, "GET", "HEAD"),
        STATS(Api.NONE, false, "GET");

        final Api api;
        /** Whether {@link SandboxFaults#slowAnswerRate()} applies. */
        final boolean mayBeSlow;
        final String[] methods;

        Endpoint(Api api, boolean mayBeSlow, String... methods) {
            this.api = api;
            this.mayBeSlow = mayBeSlow;
            this.methods = methods;
        }
    }

    /** Whose wire format (key header, error shape) an endpoint speaks. */
    private enum Api { SEGMIND, PIXAZO, IMAGES, NONE }

    /** An endpoint and the path segments it needs. */
    private record Call(Endpoint endpoint, String... args) {
    }

    private void route(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getRawPath().split("/", -1); // "", "v2", ...
        Call call = classify(parts);
        if (call == null) {
            // an unknown path under /v2 is Segmind's: its key is checked before the path, as Segmind does
            if (parts.length >= 3 && parts[1].equals("v2") && !segmind.authorized(exchange)) return;
            SandboxHttp.sendError(exchange, 404, "Not found", mapper);
            return;
        }
        Endpoint endpoint = call.endpoint();
        if (endpoint.api == Api.NONE) {
            if (allowed(exchange, endpoint.methods)) SandboxHttp.sendJson(exchange, 200, stats.toMap(), mapper);
            return;
        }
        // faults first: a 5xx before anything else (no key check, no job)
        int serverError = faults.serverError();
        if (serverError > 0) {
            sendFault(exchange, endpoint.api, serverError, serverError == 503 ? "Service Unavailable"
                    : serverError == 502 ? "Bad Gateway" : "Internal Server Error",
                    "Injected server error (sandbox fault simulation)");
            return;
        }
        if (endpoint.api == Api.SEGMIND && !segmind.authorized(exchange)) return;
        if (endpoint.api == Api.PIXAZO && !pixazo.authorized(exchange)) return;
        if (!allowed(exchange, endpoint.methods)) return;
        if (endpoint.api != Api.IMAGES && faults.burstRateLimited()) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            sendFault(exchange, endpoint.api, 429, "Too Many Requests",
                    "Rate limit exceeded (sandbox burst simulation); retry after 1 s");
            return;
        }
        if (endpoint.mayBeSlow && !faults.slowDown()) return; // interrupted: the server is closing
        String[] args = call.args();
        switch (endpoint) {
            case SEGMIND_SUBMIT -> segmind.submit(exchange, args[0]);
            case SEGMIND_STATUS -> segmind.status(exchange, args[0]);
            case SEGMIND_RESULT -> segmind.result(exchange, args[0]);
            case SEGMIND_V1 -> segmindV1.generate(exchange, args[0]);
            case SEGMIND_CREDITS -> segmindCredits.credits(exchange);
            case PIXAZO_SUBMIT -> pixazo.submit(exchange, args[0], args[1]);
            case PIXAZO_STATUS -> pixazo.status(exchange, args[0]);
            case IMAGE -> images.download(exchange, args[0]);
            default -> throw new IllegalStateException("Unrouted endpoint " + endpoint);
        }
    }

    /** The endpoint a path is for, or null (404). */
    private static Call classify(String[] parts) {
        int n = parts.length;
        if (n == 5 && parts[1].equals("v2") && parts[2].equals("requests") && parts[3].equals("status")
                && !parts[4].isEmpty()) {
            // Pixazo's status; Segmind's is /v2/requests/{id}/status
            return new Call(Endpoint.PIXAZO_STATUS, parts[4]);
        } else if (n == 3 && parts[1].equals("v1") && parts[2].equals(SegmindCreditsEndpoint.PATH_SEGMENT)) {
            return new Call(Endpoint.SEGMIND_CREDITS);
        } else if (n == 3 && parts[1].equals("v1") && !parts[2].isEmpty()) {
            return new Call(Endpoint.SEGMIND_V1, parts[2]);
        } else if (n == 4 && parts[2].equals("v1") && !parts[1].isEmpty() && parts[3].endsWith("-request")) {
            return new Call(Endpoint.PIXAZO_SUBMIT, parts[1], parts[3]);
        } else if (n >= 3 && parts[1].equals("v2")) {
            if (n == 5 && parts[2].equals("requests") && parts[4].equals("status") && !parts[3].isEmpty()) {
                return new Call(Endpoint.SEGMIND_STATUS, parts[3]);
            } else if (n == 4 && parts[2].equals("requests") && !parts[3].isEmpty()) {
                return new Call(Endpoint.SEGMIND_RESULT, parts[3]);
            } else if (n == 3 && !parts[2].isEmpty() && !parts[2].equals("requests")) {
                return new Call(Endpoint.SEGMIND_SUBMIT, parts[2]);
            }
            return null;
        } else if (n == 4 && parts[1].equals("sandbox") && parts[2].equals("images") && !parts[3].isEmpty()) {
            return new Call(Endpoint.IMAGE, parts[3]);
        } else if (n == 3 && parts[1].equals("sandbox") && parts[2].equals("stats")) {
            return new Call(Endpoint.STATS);
        }
        return null;
    }

    /** An injected fault's answer in the API's error shape: Pixazo {"error", "message"}, else {"error"}. */
    private void sendFault(HttpExchange exchange, Api api, int status, String error, String message)
            throws IOException {
        if (api == Api.PIXAZO) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", error);
            body.put("message", message);
            SandboxHttp.sendJson(exchange, status, body, mapper);
        } else {
            SandboxHttp.sendError(exchange, status, error + ": " + message, mapper);
        }
    }

    private boolean allowed(HttpExchange exchange, String... methods) throws IOException {
        for (String method : methods) if (method.equals(exchange.getRequestMethod())) return true;
        exchange.getResponseHeaders().set("Allow", String.join(", ", methods));
        SandboxHttp.sendError(exchange, 405, "Method not allowed", mapper);
        return false;
    }
}
