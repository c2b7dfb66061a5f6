package dev.zbatch.sandbox;

import com.sun.net.httpserver.HttpExchange;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Segmind's sync v1 API: {@code POST /v1/z-image-turbo}, body validated as for v2 ({@link SegmindSubmitRequest}).
 * The call is accepted like a v2 submission (rate limit, stored, persisted, counted per body), then waits the job's
 * latency and answers:
 * <ul>
 *     <li>200 with the raw image ({@code Content-Type: image/png|jpeg|webp}, {@code Content-Length}), or with
 *     {@code base_64: true} 200 {@code application/json {"image": "<base64>", "seed": n}};</li>
 *     <li>a failing job (failureRate): 400 {@code {"error": "Content blocked by the sandbox's safety simulation"}}.
 *     Segmind does not document v1's failure shape; this is the sandbox's choice (a 4xx with an error body, as its
 *     other errors), so a client must treat any non-2xx JSON answer as a failure of the call.</li>
 * </ul>
 * The job gets a UUID id like v2 ones, never shown to the client and not reachable through the v2 endpoints.
 * Each call holds one server thread while it waits.
 */
final class SegmindV1Endpoint {

    private final SandboxJobs jobs;
    private final JsonMapper mapper;

    SegmindV1Endpoint(SandboxJobs jobs, JsonMapper mapper) {
        this.jobs = jobs;
        this.mapper = mapper;
    }

    void generate(HttpExchange exchange, String model) throws IOException {
        SegmindSubmitIntake.Accepted accepted = SegmindSubmitIntake.read(exchange, model, jobs, mapper);
        if (accepted == null) return;
        JsonNode body = accepted.body();
        SegmindSubmitRequest request = accepted.request();
        SandboxJob job = jobs.accept(SandboxJob.SEGMIND_V1, model, UUID.randomUUID().toString(),
                SandboxHashes.canonicalJson(mapper, body), request.prompt(), request.width(), request.height(),
                request.steps(), request.guidanceScale(), request.seed(), request.imageFormat(), request.quality(),
                request.base64(), 1, false, null);
        if (jobs.dropAnswer(job)) return;
        try {
            long wait = job.doneAtMillis() - System.currentTimeMillis();
            if (wait > 0) Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is closing
            return;
        }
        if (job.phaseAt(System.currentTimeMillis()) == SandboxJobPhase.FAILED) {
            SandboxHttp.sendError(exchange, 400, SandboxJob.FAILURE_MESSAGE, mapper);
            return;
        }
        byte[] image = SandboxImages.render(job.prompt(), job.width(), job.height(), job.imageFormat(),
                job.quality(), job.seed());
        if (job.base64()) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("image", Base64.getEncoder().encodeToString(image));
            answer.put("seed", job.seed());
            SandboxHttp.sendJson(exchange, 200, answer, mapper);
        } else {
            SandboxHttp.sendBytes(exchange, 200, job.format().contentType(), image);
        }
    }
}
