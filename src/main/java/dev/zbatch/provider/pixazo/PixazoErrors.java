package dev.zbatch.provider.pixazo;

import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.provider.RetryAfter;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.UnsupportedSchemeException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.util.DeadlineTimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLHandshakeException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The one place where Pixazo's HTTP statuses and transport failures become {@link ProviderException}s.
 * Every message passes through {@link #redact(String)}, so the API key never appears even if a server echoes it.
 */
final class PixazoErrors {

    /** Error bodies are echoed at most this long. */
    static final int MAX_ECHO = 300;

    static final String EXPIRED_DETAIL = "request not found at Pixazo: unknown or expired";

    static final String AUTH_MESSAGE = "Pixazo rejected the API key (HTTP %d): check PIXAZO_API_KEY";
    static final String CREDITS_MESSAGE =
            "Pixazo: insufficient balance (HTTP %d): top up your wallet and run the same command again";

    /** What kind of call failed: decides between AMBIGUOUS_SUBMIT and TRANSIENT. */
    enum Call {
        SUBMIT("submit"), STATUS("status poll"), DOWNLOAD("image download");

        final String label;

        Call(String label) {
            this.label = label;
        }

        boolean isSubmit() {
            return this == SUBMIT;
        }
    }

    private final String apiKey;
    private final ObjectMapper json;

    PixazoErrors(String apiKey, ObjectMapper json) {
        this.apiKey = apiKey;
        this.json = json;
    }

    // ---------------------------------------------------------------- HTTP statuses

    /**
     * Classifies a non-success HTTP answer. (A poll's 404 never gets here: it is an expired request.)
     *
     * @param keySent whether the request carried the API key (a CDN's 401/403 is not about our key)
     * @param header  looks a response header up by name (first value, or null)
     */
    ProviderException forStatus(Call call, URI target, int status, byte[] body, boolean keySent,
                                Function<String, String> header) {
        String text = errorText(body);
        String where = "Pixazo " + call.label + " " + describe(target);
        if (status == 400 && modelNotFound(body)) {
            return exception(Kind.PROTOCOL, status, where + ": model not found (HTTP 400): "
                    + orNone(text) + "; check the model name and the base URL", null, null);
        }
        if (status == 400 || (call.isSubmit() && (status == 413 || status == 415 || status == 422))) {
            return exception(Kind.BAD_REQUEST, status,
                    "Pixazo refused the request (HTTP " + status + "): " + orNone(text), null, null);
        }
        if ((status == 401 || status == 403) && keySent) {
            return exception(Kind.AUTH, status, String.format(Locale.ROOT, AUTH_MESSAGE, status), null, null);
        }
        if (status == 401 || status == 403) {
            // an image host we sent no key to: a signed URL that expired or a CDN refusing, not our key
            return exception(Kind.TRANSIENT, status, where + ": HTTP " + status
                    + " from a host that was sent no key (the URL may have expired)"
                    + (text.isEmpty() ? "" : ": " + text), null, null);
        }
        if (status == 402) {
            return exception(Kind.CREDITS, status, String.format(Locale.ROOT, CREDITS_MESSAGE, status), null, null);
        }
        if (status == 429) {
            Duration wait = RetryAfter.of(header, bodyText(body), Instant.now());
            return exception(Kind.RATE_LIMITED, status,
                    "Pixazo rate limit reached (HTTP 429) on " + call.label
                            + (wait == null ? "" : "; retry after " + wait.toSeconds() + "s")
                            + (text.isEmpty() ? "" : ": " + text), wait, null);
        }
        if (status == 404 || status == 410) {
            if (call.isSubmit()) {
                return exception(Kind.PROTOCOL, status, where + ": HTTP " + status
                        + " (no such model or endpoint): check the model name and the base URL"
                        + (text.isEmpty() ? "" : ": " + text), null, null);
            }
            // a CDN may answer 404 briefly before the object is visible: retryable, callers decide when to stop
            return exception(Kind.TRANSIENT, status, where + " (HTTP " + status
                    + "): not found (not there yet, or expired)", null, null);
        }
        if (status == 408) {
            // the server timed out waiting for our request: it did not process it
            return exception(Kind.TRANSIENT, status, where + ": HTTP 408 (request timeout)", null, null);
        }
        if (status >= 500 && status <= 599) {
            if (call.isSubmit()) {
                return exception(Kind.AMBIGUOUS_SUBMIT, status, where + ": HTTP " + status
                        + "; the request may or may not have been accepted, so it is not resent automatically"
                        + (text.isEmpty() ? "" : ": " + text), null, null);
            }
            return exception(Kind.TRANSIENT, status,
                    where + ": HTTP " + status + (text.isEmpty() ? "" : ": " + text), null, null);
        }
        return exception(Kind.PROTOCOL, status,
                where + ": unexpected HTTP " + status + (text.isEmpty() ? "" : ": " + text), null, null);
    }

    /** Pixazo's 400 for a model that does not exist or is disabled: {@code "error": "Model not found"}. */
    private boolean modelNotFound(byte[] body) {
        if (body == null || body.length == 0) {
            return false;
        }
        try {
            JsonNode node = json.readTree(body);
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

    // ---------------------------------------------------------------- transport failures

    /** Classifies a failure without an HTTP answer (connect error, dropped connection, timeout). */
    ProviderException forFailure(Call call, URI target, Throwable failure) {
        String where = "Pixazo " + call.label + " " + describe(target);
        String cause = failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        if (neverSent(failure)) {
            return exception(Kind.TRANSIENT, 0,
                    where + ": could not connect (" + cause + "); nothing was sent", null, failure);
        }
        String what = isTimeout(failure) ? "no answer in time (" + cause + ")"
                : "connection failed after the request was sent (" + cause + ")";
        if (call.isSubmit()) {
            return exception(Kind.AMBIGUOUS_SUBMIT, 0, where + ": " + what
                    + "; the request may or may not have been accepted, so it is not resent automatically",
                    null, failure);
        }
        return exception(Kind.TRANSIENT, 0, where + ": " + what, null, failure);
    }

    /** True when the failure happened before any byte of the request could have left. */
    static boolean neverSent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException                 // incl. HttpHostConnectException: refused
                    || t instanceof ConnectTimeoutException   // connect timed out
                    || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException      // DNS
                    || t instanceof UnsupportedSchemeException
                    || t instanceof SSLHandshakeException     // TLS fails before the request is written
                    || t instanceof ConnectionRequestTimeoutException // no pooled connection became free
                    || t instanceof DeadlineTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- helpers

    ProviderException protocol(Call call, URI target, int status, String message, Throwable cause) {
        return exception(Kind.PROTOCOL, status, "Pixazo " + call.label + " " + describe(target) + ": " + message,
                null, cause);
    }

    ProviderException exception(Kind kind, int status, String message, Duration retryAfter, Throwable cause) {
        // transport exceptions from HttpClient carry host names, never request headers: kept as they are
        return new ProviderException(kind, status, redact(message), retryAfter, cause);
    }

    /**
     * The provider's own message, truncated: Pixazo's {@code error} and {@code message} (both when they differ,
     * e.g. "Insufficient Balance: Your wallet does not have enough balance."), or fal's {@code detail}; else the
     * body text.
     */
    String errorText(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            JsonNode node = json.readTree(body);
            String found = messageOf(node);
            if (found != null) {
                return truncate(redact(found));
            }
        } catch (JacksonException notJson) {
            // fall through to the raw text
        }
        return truncate(redact(new String(body, StandardCharsets.UTF_8).strip()));
    }

    /** See {@link #errorText(byte[])}; null when the node has none of those fields. */
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

    String redact(String text) {
        if (text == null || apiKey == null || apiKey.length() < 4) {
            return text;
        }
        return text.replace(apiKey, "***");
    }

    static String truncate(String text) {
        return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "…";
    }

    /** scheme://host[:port]/path: no query string (signed CDN URLs carry tokens there). */
    static String describe(URI uri) {
        if (uri == null) {
            return "";
        }
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static String orNone(String text) {
        return text.isEmpty() ? "(no message)" : text;
    }

    /** The body as text for {@link RetryAfter}; null when there is none. */
    static String bodyText(byte[] body) {
        return body == null || body.length == 0 ? null : new String(body, StandardCharsets.UTF_8);
    }
}
