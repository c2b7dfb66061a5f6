package dev.zbatch.provider.segmind;

import dev.zbatch.provider.http.BaseUrl;
import dev.zbatch.provider.http.HttpErrors;
import dev.zbatch.provider.http.ProviderHttp;
import dev.zbatch.provider.http.ProviderHttp.Answer;
import dev.zbatch.request.ImageRequest;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What both Segmind adapters (async {@link SegmindAsyncProvider} and {@link SegmindSyncProvider}) talk to Segmind with:
 * the transport (key in {@code x-api-key}, also after a redirect on the poll URL's host), the error rules, the
 * request body and the balance reader.
 */
final class SegmindClient implements AutoCloseable {

    static final String API_KEY_HEADER = "x-api-key";
    static final ProviderHttp.Conventions CONVENTIONS =
            new ProviderHttp.Conventions(API_KEY_HEADER, Map.of(), Map.of(), true);

    final SegmindSettings settings;
    final BaseUrl base;
    final ObjectMapper json = JsonMapper.builder().build();
    final HttpErrors errors;
    final ProviderHttp http;
    final SegmindCredits credits;
    private final SegmindWire wire;

    SegmindClient(SegmindSettings settings) {
        this.settings = settings;
        this.base = new BaseUrl(settings.baseUrl());
        this.errors = SegmindErrors.create(settings.apiKey(), json);
        this.wire = new SegmindWire(json);
        this.http = new ProviderHttp(settings, CONVENTIONS, errors);
        this.credits = new SegmindCredits(settings, http, errors);
    }

    /** The JSON body for a generation request; BAD_REQUEST (nothing sent) when Segmind cannot be asked for it. */
    byte[] submitBody(ImageRequest request) {
        if (request.prompt() == null || request.prompt().isBlank()) {
            throw errors.badRequest("the prompt is empty");
        }
        if (request.numImages() != 1) {
            throw errors.badRequest("Segmind makes one image per request (images per prompt must be 1, was "
                    + request.numImages() + ")");
        }
        try {
            return wire.submitBody(request);
        } catch (IllegalArgumentException refused) {
            throw errors.badRequest(refused.getMessage());
        }
    }

    /** What the call cost, from the {@code x-credits-consumed} header; null when absent or not a number. */
    static BigDecimal creditsConsumed(Answer answer) {
        String header = answer.header("x-credits-consumed");
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(header.strip());
        } catch (NumberFormatException notNumeric) {
            return null;
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
