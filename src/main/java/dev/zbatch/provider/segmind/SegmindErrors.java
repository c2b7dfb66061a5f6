package dev.zbatch.provider.segmind;

import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.http.HttpErrors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.util.Set;

/**
 * How Segmind's HTTP statuses and transport failures become {@link ProviderException}s: the common rules of
 * {@link HttpErrors}, with Segmind's name, key variable, credit statuses (402 and 406) and error bodies. Every
 * 401/403 is about the key. (HTTP 422 on a poll, Segmind's FAILED, never gets here: see {@link SegmindAsyncProvider}.)
 */
final class SegmindErrors {

    static final String EXPIRED_DETAIL =
            "request not found at the provider: unknown or expired (results are kept one hour)";

    static final HttpErrors.Dialect DIALECT = new HttpErrors.Dialect("Segmind", "SEGMIND_API_KEY", Set.of(402, 406),
            "Segmind: insufficient credits (HTTP %d); top up and run the same command again", EXPIRED_DETAIL,
            SegmindErrors::messageOf, HttpErrors.NO_RULES);

    private SegmindErrors() {
    }

    static HttpErrors create(String apiKey, ObjectMapper json) {
        return new HttpErrors(DIALECT, apiKey, json);
    }

    /** {@code error} (string, or an object with a message), then {@code message}, then {@code detail}; or null. */
    static String messageOf(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        for (String key : new String[]{"error", "message", "detail"}) {
            JsonNode v = node.path(key);
            if (v.isString() && !v.asString().isBlank()) {
                return v.asString();
            }
            if (v.isObject()) {
                String inner = messageOf(v);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }
}
