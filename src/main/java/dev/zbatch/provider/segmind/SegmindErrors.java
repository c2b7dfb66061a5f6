package dev.zbatch.provider.segmind;

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
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The one place where Segmind's HTTP statuses and transport failures become {@link ProviderException}s.
 * Every message passes through {@link #redact(String)}, so the API key never appears even if a server echoes it.
 */
final class SegmindErrors {

    /** Error bodies are echoed at most this long. */
    static final int MAX_ECHO = 300;

    static final String EXPIRED_DETAIL =
            "request not found at the provider: unknown or expired (results are kept one hour)";

    /** What kind of call failed: decides between AMBIGUOUS_SUBMIT and TRANSIENT. */
    enum Call {
        SUBMIT("submit"), STATUS("status poll"), RESULT("result fetch"), DOWNLOAD("image download");

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

    SegmindErrors(String apiKey, ObjectMapper json) {
        this.apiKey = apiKey;
        this.json = json;
    }

    // ---------------------------------------------------------------- HTTP statuses

    /**
     * Classifies a non-success HTTP answer.
     *
     * @param header looks a response header up by name (first value, or null)
     */
    ProviderException forStatus(Call call, URI target, int status, byte[] body, Function<String, String> header) {
        String text = errorText(body);
        String where = "Segmind " + call.label + " " + describe(target);
        if (status == 400 || (call.isSubmit() && (status == 413 || status == 415 || status == 422))) {
            return exception(Kind.BAD_REQUEST, status,
                    "Segmind refused the request (HTTP " + status + "): " + orNone(text), null, null);
        }
        if (status == 401 || status == 403) {
            return exception(Kind.AUTH, status,
                    "Segmind rejected the API key (HTTP " + status + "): check SEGMIND_API_KEY", null, null);
        }
        if (status == 402 || status == 406) {
            return exception(Kind.CREDITS, status,
                    "Segmind: insufficient credits (HTTP " + status + "); top up and run the same command again",
                    null, null);
        }
        if (status == 429) {
            Duration wait = RetryAfter.of(header, bodyText(body), Instant.now());
            return exception(Kind.RATE_LIMITED, status,
                    "Segmind rate limit reached (HTTP 429) on " + call.label
                            + (wait == null ? "" : "; retry after " + wait.toSeconds() + "s")
                            + (text.isEmpty() ? "" : ": " + text), wait, null);
        }
        if (status == 404 || status == 410) {
            if (call.isSubmit()) {
                return exception(Kind.PROTOCOL, status, where + ": HTTP " + status
                        + " (no such model or endpoint): check the model name and the base URL"
                        + (text.isEmpty() ? "" : ": " + text), null, null);
            }
            // a result URL that is gone for good reads like expiry; a CDN may also 404 briefly before the
            // object is visible, so this is retryable and callers decide when to give up (httpStatus 404)
            return exception(Kind.TRANSIENT, status, where + " (HTTP " + status + "): " + EXPIRED_DETAIL, null, null);
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

    // ---------------------------------------------------------------- transport failures

    /** Classifies a failure without an HTTP answer (connect error, dropped connection, timeout). */
    ProviderException forFailure(Call call, URI target, Throwable failure) {
        String where = "Segmind " + call.label + " " + describe(target);
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
        return exception(Kind.PROTOCOL, status, "Segmind " + call.label + " " + describe(target) + ": " + message,
                null, cause);
    }

    ProviderException exception(Kind kind, int status, String message, Duration retryAfter, Throwable cause) {
        // transport exceptions from HttpClient carry host names, never request headers: kept as they are
        return new ProviderException(kind, status, redact(message), retryAfter, cause);
    }

    /** The provider's own message: body {@code error} or {@code message}, else the body text; truncated. */
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
