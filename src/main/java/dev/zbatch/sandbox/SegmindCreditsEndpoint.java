package dev.zbatch.sandbox;

import com.sun.net.httpserver.HttpExchange;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Segmind's balance: {@code GET /v1/get-user-credits} answers 200 {@code {"credits": n, "sandbox": true}} with
 * {@code n} = {@link SandboxSettings#credits()}. The key rule is Segmind's (see {@link SegmindV2Endpoints#authorized});
 * the sandbox never deducts anything, so the balance stays what the settings say.
 */
final class SegmindCreditsEndpoint {

    static final String PATH_SEGMENT = "get-user-credits";

    private final SandboxSettings settings;
    private final JsonMapper mapper;

    SegmindCreditsEndpoint(SandboxSettings settings, JsonMapper mapper) {
        this.settings = settings;
        this.mapper = mapper;
    }

    void credits(HttpExchange exchange) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("credits", settings.credits());
        answer.put("sandbox", true);
        SandboxHttp.sendJson(exchange, 200, answer, mapper);
    }
}
