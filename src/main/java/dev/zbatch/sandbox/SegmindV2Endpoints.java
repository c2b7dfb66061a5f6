package dev.zbatch.sandbox;

import com.sun.net.httpserver.HttpExchange;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Segmind's async v2 API as Segmind documents it:
 * {@code POST /v2/{model}}, {@code GET /v2/requests/{id}/status}, {@code GET /v2/requests/{id}}.
 * FAILED answers 422 on both status and result; an unknown or expired id answers 404 (also for the id of a job
 * of another API).
 */
final class SegmindV2Endpoints {

    static final String MODEL = "z-image-turbo";

    private final SandboxJobs jobs;
    private final SandboxSettings settings;
    private final SandboxStats stats;
    private final JsonMapper mapper;
    private final String baseUrl;

    SegmindV2Endpoints(SandboxJobs jobs, JsonMapper mapper) {
        this.jobs = jobs;
        this.settings = jobs.settings();
        this.stats = jobs.stats();
        this.mapper = mapper;
        this.baseUrl = jobs.baseUrl();
    }

    /** Answers 401 and returns false when a key is required and missing, or when every key is refused. */
    boolean authorized(HttpExchange exchange) throws IOException {
        if (settings.refuseKeys()) {
            stats.recordUnauthorized();
            SandboxHttp.sendError(exchange, 401, "Unauthorized: invalid or revoked x-api-key", mapper);
            return false;
        }
        if (!settings.requireApiKey() || !SandboxHttp.header(exchange, "x-api-key").isEmpty()) return true;
        stats.recordUnauthorized();
        SandboxHttp.sendError(exchange, 401, "Unauthorized: missing x-api-key", mapper);
        return false;
    }

    void submit(HttpExchange exchange, String model) throws IOException {
        SegmindSubmitIntake.Accepted accepted = SegmindSubmitIntake.read(exchange, model, jobs, mapper);
        if (accepted == null) return;
        JsonNode body = accepted.body();
        SegmindSubmitRequest request = accepted.request();
        SandboxJob job = newJob(model, SandboxHashes.canonicalJson(mapper, body), request);
        if (jobs.dropAnswer(job)) return;

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("request_id", job.id());
        answer.put("status", SandboxJobPhase.QUEUED.name());
        answer.put("poll_url", statusUrl(job.id()));
        answer.put("status_url", statusUrl(job.id()));
        answer.put("response_url", responseUrl(job.id()));
        SandboxHttp.sendJson(exchange, 200, answer, mapper);
    }

    private record Phased(SandboxJob job, SandboxJobPhase phase) {
    }

    /** The job with its phase now; answers 404 (unknown or expired) or 422 (FAILED) itself and returns null. */
    private Phased answerable(HttpExchange exchange, String id) throws IOException {
        Optional<SandboxJob> found = live(id);
        if (found.isEmpty()) {
            notFound(exchange);
            return null;
        }
        SandboxJobPhase phase = found.get().phaseAt(System.currentTimeMillis());
        if (phase == SandboxJobPhase.FAILED) {
            failed(exchange, found.get());
            return null;
        }
        return new Phased(found.get(), phase);
    }

    void status(HttpExchange exchange, String id) throws IOException {
        stats.recordStatusPoll();
        Phased phased = answerable(exchange, id);
        if (phased == null) return;
        SandboxJob job = phased.job();
        SandboxJobPhase phase = phased.phase();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", phase.name());
        answer.put("request_id", job.id());
        answer.put("metrics", phase == SandboxJobPhase.COMPLETED ? metrics(job) : Map.of());
        SandboxHttp.sendJson(exchange, 200, answer, mapper);
    }

    void result(HttpExchange exchange, String id) throws IOException {
        stats.recordResultFetch();
        Phased phased = answerable(exchange, id);
        if (phased == null) return;
        SandboxJob job = phased.job();
        SandboxJobPhase phase = phased.phase();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", phase.name());
        answer.put("request_id", job.id());
        if (phase == SandboxJobPhase.COMPLETED) {
            answer.put("output", job.base64()
                    ? Base64.getEncoder().encodeToString(SandboxImages.render(job.prompt(), job.width(),
                    job.height(), job.imageFormat(), job.quality(), job.seed()))
                    : imageUrl(job));
            answer.put("seed", job.seed());
            answer.put("metrics", metrics(job));
            answer.put("sandbox", true);
        } else {
            answer.put("metrics", Map.of());
        }
        SandboxHttp.sendJson(exchange, 200, answer, mapper);
    }

    /** A Segmind v2 job that is known and not past retention. */
    Optional<SandboxJob> live(String id) {
        return jobs.live(id, SandboxJob.SEGMIND_V2);
    }

    String imageUrl(SandboxJob job) {
        return baseUrl + "/sandbox/images/" + job.id() + "." + job.format().extension();
    }

    private SandboxJob newJob(String model, String canonicalBody, SegmindSubmitRequest request) {
        return jobs.accept(SandboxJob.SEGMIND_V2, model, UUID.randomUUID().toString(), canonicalBody,
                request.prompt(), request.width(), request.height(), request.steps(), request.guidanceScale(),
                request.seed(), request.imageFormat(), request.quality(), request.base64(), 1, false, null);
    }

    private Map<String, Object> metrics(SandboxJob job) {
        return Map.of("inference_time", job.inferenceSeconds());
    }

    private void failed(HttpExchange exchange, SandboxJob job) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", SandboxJobPhase.FAILED.name());
        answer.put("request_id", job.id());
        answer.put("error", SandboxJob.FAILURE_MESSAGE);
        SandboxHttp.sendJson(exchange, 422, answer, mapper);
    }

    private void notFound(HttpExchange exchange) throws IOException {
        SandboxHttp.sendError(exchange, 404, "Request not found", mapper);
    }

    private String statusUrl(String id) {
        return baseUrl + "/v2/requests/" + id + "/status";
    }

    private String responseUrl(String id) {
        return baseUrl + "/v2/requests/" + id;
    }
}
