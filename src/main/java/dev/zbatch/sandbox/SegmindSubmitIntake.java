package dev.zbatch.sandbox;

import com.sun.net.httpserver.HttpExchange;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Segmind's v1 and v2 submissions do alike before a job exists: the model, the rate limit, the body's size,
 * its JSON and its values, then the account's credits, each refused with its own answer.
 */
final class SegmindSubmitIntake {

    /** A submission that passed: its body (as sent) and what it asks for. */
    record Accepted(JsonNode body, SegmindSubmitRequest request) {
    }

    private SegmindSubmitIntake() {
    }

    /** The accepted submission, or null when an error answer has been sent. */
    static Accepted read(HttpExchange exchange, String model, SandboxJobs jobs, JsonMapper mapper)
            throws IOException {
        SandboxStats stats = jobs.stats();
        if (!SegmindV2Endpoints.MODEL.equals(model)) {
            stats.recordRejectedSubmission();
            SandboxHttp.sendError(exchange, 404, "Model not found: " + model, mapper);
            return null;
        }
        long retryAfter = jobs.tryAcquireSubmit();
        if (retryAfter > 0) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(retryAfter));
            SandboxHttp.sendError(exchange, 429, "Rate limit exceeded (" + jobs.settings().submitsPerMinute()
                    + " requests per minute); retry after " + retryAfter + " s", mapper);
            return null;
        }
        byte[] raw = SandboxHttp.readBody(exchange);
        if (raw == null) {
            stats.recordRejectedSubmission();
            SandboxHttp.sendError(exchange, 413, "Request body larger than " + SandboxHttp.MAX_BODY_BYTES + " bytes",
                    mapper);
            return null;
        }
        Accepted accepted;
        try {
            JsonNode body = mapper.readTree(raw);
            accepted = new Accepted(body, SegmindSubmitRequest.parse(body));
        } catch (JacksonException e) {
            stats.recordRejectedSubmission();
            SandboxHttp.sendError(exchange, 400, "Request body is not valid JSON", mapper);
            return null;
        } catch (SegmindSubmitRequest.InvalidRequestException e) {
            stats.recordRejectedSubmission();
            SandboxHttp.sendError(exchange, 400, e.getMessage(), mapper);
            return null;
        }
        if (!jobs.reserveCredit()) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("error", "Insufficient credits");
            answer.put("sandbox", true);
            SandboxHttp.sendJson(exchange, 406, answer, mapper);
            return null;
        }
        return accepted;
    }
}
