package dev.zbatch.sandbox;

import com.sun.net.httpserver.HttpExchange;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Segmind's balance: {@code GET /v1/get-user-credits} answers 200 {@code {"credits": n, "sandbox": true}} with
 * {@code n} = {@link SandboxSettings#credits()}, or 0 once the account has run out
 * ({@link SandboxSettings#outOfCreditsAfter()}). The key rule is Segmind's (see {@link SegmindV2Endpoints#authorized});
 * the sandbox deducts nothing per submission, so until then the balance stays what the settings say.
 */
final class SegmindCreditsEndpoint {

    static final String PATH_SEGMENT = "get-user-credits";

    private final SandboxJobs jobs;
    private final JsonMapper mapper;

    SegmindCreditsEndpoint(SandboxJobs jobs, JsonMapper mapper) {
        this.jobs = jobs;
        this.mapper = mapper;
    }

    void credits(HttpExchange exchange) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("credits", jobs.outOfCredits() ? BigDecimal.ZERO : jobs.settings().credits());
        answer.put("sandbox", true);
        SandboxHttp.sendJson(exchange, 200, answer, mapper);
    }
}
