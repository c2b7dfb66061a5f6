package dev.zbatch.provider.pixazo;

import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.provider.http.Call;
import dev.zbatch.provider.http.HttpErrors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How Pixazo's HTTP statuses and transport failures become {@link ProviderException}s: the common rules of
 * {@link HttpErrors}, with Pixazo's name, key variable, credit status (402) and error bodies, after two rules of
 * its own: a 400 "Model not found" is PROTOCOL, and a 401/403 from a host that was sent no key (a CDN) is not
 * about our key. (A poll's 404 never gets here: it is an expired request.)
 */
final class PixazoErrors {

    static final String EXPIRED_DETAIL = "request not found at Pixazo: unknown or expired";

    static final HttpErrors.Dialect DIALECT = new HttpErrors.Dialect("Pixazo", "PIXAZO_API_KEY", Set.of(402),
            "Pixazo: insufficient balance (HTTP %d): top up your wallet and run the same command again",
            "not found (not there yet, or expired)", PixazoErrors::messageOf, PixazoErrors::pixazoRules);

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private PixazoErrors() {
    }

    static HttpErrors create(String apiKey, ObjectMapper json) {
        return new HttpErrors(DIALECT, apiKey, json);
    }

    /** Pixazo's own rules, before the common ones; null when neither applies. */
    private static ProviderException pixazoRules(HttpErrors errors, Call call, URI target, int status, byte[] body,
                                                 boolean keySent) {
        if (status == 400 && modelNotFound(body)) {
            return errors.exception(Kind.PROTOCOL, status, errors.where(call, target) + ": model not found (HTTP 400): "
                    + HttpErrors.orNone(errors.errorText(body)) + "; check the model name and the base URL", null, null);
        }
        if ((status == 401 || status == 403) && !keySent) {
            // an image host we sent no key to: a signed URL that expired or a CDN refusing, not our key
            String text = errors.errorText(body);
            return errors.exception(Kind.TRANSIENT, status, errors.where(call, target) + ": HTTP " + status
                    + " from a host that was sent no key (the URL may have expired)"
                    + (text.isEmpty() ? "" : ": " + text), null, null);
        }
        return null;
    }

    /** Pixazo's 400 for a model that does not exist or is disabled: {@code "error": "Model not found"}. */
    private static boolean modelNotFound(byte[] body) {
        if (body == null || body.length == 0) {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                return false;
            }
            for (String key : new String[]{"error", "message"}) {
                JsonNode v = node.path(key);
                if (v.isString() && v.asString().toLowerCase(Locale.ROOT).contains("model not found")) {
                    return true;
                }
            }
            return false;
        } catch (JacksonException notJson) {
            return new String(body, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).contains("model not found");
        }
    }

    /**
     * The provider's own message: Pixazo's {@code error} and {@code message} (both when they differ, e.g.
     * "Insufficient Balance: Your wallet does not have enough balance."), or fal's {@code detail}; null when the
     * node has none of those fields.
     */
    static String messageOf(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        String error = textOf(node.path("error"));
        String message = textOf(node.path("message"));
        if (error != null && message != null) {
            return error.equals(message) || message.contains(error) ? message : error + ": " + message;
        }
        if (error != null || message != null) {
            return error != null ? error : message;
        }
        return textOf(node.path("detail"));
    }

    /** A string; an object's message/error/msg; an array's items joined (fal's validation {@code detail}). */
    private static String textOf(JsonNode v) {
        if (v == null) {
            return null;
        }
        if (v.isString()) {
            return v.asString().isBlank() ? null : v.asString().strip();
        }
        if (v.isObject()) {
            for (String key : new String[]{"message", "error", "msg"}) {
                String inner = textOf(v.path(key));
                if (inner != null) {
                    JsonNode loc = v.path("loc");
                    if (loc.isArray() && !loc.isEmpty()) {
                        List<String> parts = new ArrayList<>();
                        loc.forEach(p -> parts.add(p.asString()));
                        return String.join(".", parts) + ": " + inner;
                    }
                    return inner;
                }
            }
            return null;
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode item : v) {
                String t = textOf(item);
                if (t != null) {
                    parts.add(t);
                }
            }
            return parts.isEmpty() ? null : String.join("; ", parts);
        }
        return null;
    }
}
