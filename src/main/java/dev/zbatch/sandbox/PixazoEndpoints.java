package dev.zbatch.sandbox;

import com.sun.net.httpserver.HttpExchange;
import dev.zbatch.sandbox.SegmindSubmitRequest.InvalidRequestException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Pixazo's gateway for Z-Image Turbo and Base, as its document describes it (seeds/004_3d680222d928612e.txt):
 * <pre>
 * POST /z-image-turbo-834/v1/z-image-turbo-request   202 {request_id: "z-image-turbo-834_UUID", status: QUEUED, polling_url}
 * POST /z-image-base/v1/z-image-base-request         202 {request_id: "z-image-base_UUID", ...}
 * GET  /v2/requests/status/{request_id}              200 {request_id, status, model_id, error, output, created_at,
 *                                                    updated_at, completed_at}; unknown or expired: 404
 * </pre>
 * Key header {@code Ocp-Apim-Subscription-Key} (when required); errors {@code {"error", "message"}}; an unknown
 * model path is 400 "Model not found" as the document shows. States QUEUED, PROCESSING, then COMPLETED
 * ({@code output.media_url}: num_images URLs {@code /sandbox/images/{id}-{n}.{ext}}, n from 0), FAILED
 * (failureRate) or ERROR (errorRate); FAILED and ERROR have {@code output: null} and are still HTTP 200.
 * An {@code X-Webhook-URL} header (loopback only) gets the terminal status body POSTed, see {@link SandboxWebhooks}.
 * A valid submission when the account has run out ({@link SandboxSettings#outOfCreditsAfter()}) is 402
 * {@code {"error": "insufficient balance", "message": ..., "sandbox": true}} and creates no job.
 */
final class PixazoEndpoints {

    static final String KEY_HEADER = "Ocp-Apim-Subscription-Key";
    static final String WEBHOOK_HEADER = "X-Webhook-URL";
    static final String FAILURE_MESSAGE = "Image blocked by the safety checker (sandbox simulation)";
    static final String ERROR_MESSAGE = "Internal error while generating (sandbox simulation); not charged";
    /** As the document shows it: the bytes are to be checked, not the type. */
    static final String MEDIA_TYPE = "application/octet-stream";
    /** Pixazo has no quality field; jpeg and webp are encoded at this one. */
    static final int QUALITY = 90;
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final SandboxJobs jobs;
    private final SandboxStats stats;
    private final JsonMapper mapper;
    private final String baseUrl;
    private SandboxWebhooks webhooks;

    PixazoEndpoints(SandboxJobs jobs, JsonMapper mapper) {
        this.jobs = jobs;
        this.stats = jobs.stats();
        this.mapper = mapper;
        this.baseUrl = jobs.baseUrl();
    }

    void setWebhooks(SandboxWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    /** Answers 401 and returns false when a key is required and missing, or when every key is refused. */
    boolean authorized(HttpExchange exchange) throws IOException {
        if (jobs.settings().refuseKeys()) {
            stats.recordUnauthorized();
            sendError(exchange, 401, "Unauthorized", "Invalid or revoked " + KEY_HEADER);
            return false;
        }
        if (!jobs.settings().requireApiKey() || !SandboxHttp.header(exchange, KEY_HEADER).isEmpty()) return true;
        stats.recordUnauthorized();
        sendError(exchange, 401, "Unauthorized", "Missing " + KEY_HEADER + " header");
        return false;
    }

    void submit(HttpExchange exchange, String slug, String action) throws IOException {
        Optional<PixazoModel> found = PixazoModel.at(slug, action);
        if (found.isEmpty()) {
            stats.recordRejectedSubmission();
            sendError(exchange, 400, "Model not found", "Model '" + slug + "' not found or is disabled");
            return;
        }
        PixazoModel model = found.get();
        long retryAfter = jobs.tryAcquireSubmit();
        if (retryAfter > 0) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(retryAfter));
            sendError(exchange, 429, "Too Many Requests", "Rate limit exceeded ("
                    + jobs.settings().submitsPerMinute() + " requests per minute); retry after " + retryAfter + " s");
            return;
        }
        byte[] raw = SandboxHttp.readBody(exchange);
        if (raw == null) {
            stats.recordRejectedSubmission();
            sendError(exchange, 413, "Payload Too Large", "Request body larger than " + SandboxHttp.MAX_BODY_BYTES
                    + " bytes");
            return;
        }
        JsonNode body;
        PixazoSubmitRequest request;
        String webhookUrl = null;
        try {
            body = mapper.readTree(raw);
            request = PixazoSubmitRequest.parse(model, body);
            String header = SandboxHttp.header(exchange, WEBHOOK_HEADER);
            if (!header.isEmpty()) webhookUrl = SandboxWebhooks.loopbackUrl(header).toString();
        } catch (JacksonException e) {
            stats.recordRejectedSubmission();
            sendError(exchange, 400, "Bad Request", "Request body is not valid JSON");
            return;
        } catch (InvalidRequestException | IllegalArgumentException e) {
            stats.recordRejectedSubmission();
            sendError(exchange, 400, "Bad Request", e.getMessage());
            return;
        }
        if (!jobs.reserveCredit()) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("error", "insufficient balance");
            answer.put("message", "The account's balance is used up; top it up to submit again");
            answer.put("sandbox", true);
            SandboxHttp.sendJson(exchange, 402, answer, mapper);
            return;
        }

        String id = model.slug() + "_" + UUID.randomUUID();
        SandboxJob job = jobs.accept(SandboxJob.PIXAZO, model.slug(), id, SandboxHashes.canonicalJson(mapper, body),
                request.prompt(), request.width(), request.height(), request.steps(), request.guidanceScale(),
                request.seed(), request.outputFormat(), QUALITY, false, request.numImages(), true, webhookUrl);
        if (webhooks != null) webhooks.schedule(job);
        if (jobs.dropAnswer(job)) return;

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("request_id", id);
        answer.put("status", SandboxJobPhase.QUEUED.name());
        answer.put("polling_url", statusUrl(id));
        SandboxHttp.sendJson(exchange, 202, answer, mapper);
    }

    void status(HttpExchange exchange, String id) throws IOException {
        stats.recordStatusPoll();
        Optional<SandboxJob> found = live(id);
        if (found.isEmpty()) {
            SandboxHttp.sendError(exchange, 404, "Request not found", mapper);
            return;
        }
        SandboxHttp.sendJson(exchange, 200, statusBody(found.get(), System.currentTimeMillis()), mapper);
    }

    /** A Pixazo job that is known and not past retention. */
    Optional<SandboxJob> live(String id) {
        return jobs.live(id, SandboxJob.PIXAZO);
    }

    /** The status body of a job at {@code nowMillis} (also what its webhook POSTs). */
    Map<String, Object> statusBody(SandboxJob job, long nowMillis) {
        SandboxJobPhase phase = job.phaseAt(nowMillis);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("request_id", job.id());
        answer.put("status", phase.name());
        answer.put("model_id", job.model());
        answer.put("error", switch (phase) {
            case FAILED -> FAILURE_MESSAGE;
            case ERROR -> ERROR_MESSAGE;
            default -> null;
        });
        if (phase == SandboxJobPhase.COMPLETED) {
            List<String> urls = new ArrayList<>();
            for (int n = 0; n < job.imageCount(); n++) urls.add(imageUrl(job, n));
            Map<String, Object> output = new LinkedHashMap<>();
            output.put("media_url", urls);
            output.put("media_type", MEDIA_TYPE);
            answer.put("output", output);
        } else {
            answer.put("output", null);
        }
        answer.put("created_at", timestamp(job.submittedAtMillis()));
        long updated = switch (phase) {
            case QUEUED -> job.submittedAtMillis();
            case PROCESSING -> job.processingFromMillis();
            default -> job.doneAtMillis();
        };
        answer.put("updated_at", timestamp(updated));
        answer.put("completed_at", phase.done() ? timestamp(job.doneAtMillis()) : null);
        return answer;
    }

    byte[] statusJson(SandboxJob job) {
        return mapper.writeValueAsBytes(statusBody(job, System.currentTimeMillis()));
    }

    String imageUrl(SandboxJob job, int n) {
        return baseUrl + "/sandbox/images/" + job.id() + "-" + n + "." + job.format().extension();
    }

    /** The n-th image (from 0) of a job: its own seed is the job's plus n. */
    static byte[] render(SandboxJob job, int n) {
        return SandboxImages.render(job.prompt(), job.width(), job.height(), job.imageFormat(), job.quality(),
                job.seed() + n);
    }

    private String statusUrl(String id) {
        return baseUrl + "/v2/requests/status/" + id;
    }

    private void sendError(HttpExchange exchange, int status, String error, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        SandboxHttp.sendJson(exchange, status, body, mapper);
    }

    private static String timestamp(long epochMillis) {
        return TIMESTAMP.format(Instant.ofEpochMilli(epochMillis));
    }
}
