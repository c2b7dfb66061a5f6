package dev.zbatch.provider.http;

import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.ProviderException.Kind;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.UnsupportedSchemeException;
import org.apache.hc.client5.http.impl.classic.RequestFailedException;
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
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The one place where a provider's HTTP statuses and transport failures become {@link ProviderException}s; what
 * differs between providers comes in a {@link Dialect}. Every message passes through {@link #redact(String)}, so
 * the API key never appears even if a server echoes it.
 */
public final class HttpErrors {

    /** Error bodies are echoed at most this long. */
    public static final int MAX_ECHO = 300;
    static final int SHORTEST_SECRET = 12;

    /** Rules a provider applies before the common ones. */
    @FunctionalInterface
    public interface StatusRule {
        /**
         * @param keySent whether the request carried the API key
         * @return the exception for this answer, or null to apply the common rules
         */
        ProviderException classify(HttpErrors errors, Call call, URI target, int status, byte[] body, boolean keySent);
    }

    /** No rules of the provider's own. */
    public static final StatusRule NO_RULES = (errors, call, target, status, body, keySent) -> null;

    /**
     * How a provider's errors read.
     *
     * @param provider       the name every message starts with, e.g. "Segmind"
     * @param apiKeyVariable the environment variable to check when the key is rejected
     * @param creditStatuses the HTTP statuses that mean out of credits
     * @param creditsMessage the message for those, with {@code %d} for the status
     * @param notFoundDetail what a 404 or 410 on anything but a submit means
     * @param messageOf      the provider's own message in a JSON error body, or null when it has none
     * @param firstRules     rules tried before the common ones
     */
    public record Dialect(String provider, String apiKeyVariable, Set<Integer> creditStatuses, String creditsMessage,
                          String notFoundDetail, Function<JsonNode, String> messageOf, StatusRule firstRules) {
        public Dialect {
            Objects.requireNonNull(provider, "provider");
            creditStatuses = Set.copyOf(creditStatuses);
            Objects.requireNonNull(messageOf, "messageOf");
            Objects.requireNonNull(firstRules, "firstRules");
        }
    }

    private final Dialect dialect;
    private final String apiKey;
    private final ObjectMapper json;

    public HttpErrors(Dialect dialect, String apiKey, ObjectMapper json) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.apiKey = apiKey;
        this.json = Objects.requireNonNull(json, "json");
    }

    /** The provider's name, as messages start. */
    public String provider() {
        return dialect.provider();
    }

    ObjectMapper json() {
        return json;
    }

    // ---------------------------------------------------------------- HTTP statuses

    /**
     * Classifies a non-success HTTP answer.
     *
     * @param keySent whether the request carried the API key
     * @param header  looks a response header up by name (first value, or null)
     */
    public ProviderException forStatus(Call call, URI target, int status, byte[] body, boolean keySent,
                                       Function<String, String> header) {
        ProviderException own = dialect.firstRules().classify(this, call, target, status, body, keySent);
        if (own != null) {
            return own;
        }
        String text = errorText(body);
        String where = where(call, target);
        if (status == 400 || (call.isSubmit() && (status == 413 || status == 415 || status == 422))) {
            return exception(Kind.BAD_REQUEST, status,
                    provider() + " refused the request (HTTP " + status + "): " + orNone(text), null, null);
        }
        if (status == 401 || status == 403) {
            return exception(Kind.AUTH, status, provider() + " rejected the API key (HTTP " + status + "): check "
                    + dialect.apiKeyVariable(), null, null);
        }
        if (dialect.creditStatuses().contains(status)) {
            return exception(Kind.CREDITS, status, String.format(Locale.ROOT, dialect.creditsMessage(), status),
                    null, null);
        }
        if (status == 429) {
            Duration wait = RetryAfter.of(header, bodyText(body), Instant.now());
            return exception(Kind.RATE_LIMITED, status,
                    provider() + " rate limit reached (HTTP 429) on " + call.label()
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
            return exception(Kind.TRANSIENT, status, where + " (HTTP " + status + "): " + dialect.notFoundDetail(),
                    null, null);
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
    public ProviderException forFailure(Call call, URI target, Throwable failure) {
        String where = where(call, target);
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
    public static boolean neverSent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException                 // incl. HttpHostConnectException: refused
                    || t instanceof ConnectTimeoutException   // connect timed out
                    || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException      // DNS
                    || t instanceof UnsupportedSchemeException
                    || t instanceof SSLHandshakeException     // TLS fails before the request is written
                    || t instanceof ConnectionRequestTimeoutException // no pooled connection became free
                    || t instanceof DeadlineTimeoutException  // the same, from inside the pool
                    || t instanceof RequestFailedException) { // lease failed or interrupted, or cancelled unsent
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

    /** "Segmind status poll https://host/path": which provider, which call, where. */
    public String where(Call call, URI target) {
        return provider() + " " + call.label() + " " + describe(target);
    }

    public ProviderException protocol(Call call, URI target, int status, String message, Throwable cause) {
        return exception(Kind.PROTOCOL, status, where(call, target) + ": " + message, null, cause);
    }

    /** A request refused before anything was sent. */
    public ProviderException badRequest(String message) {
        return exception(Kind.BAD_REQUEST, 0, provider() + ": " + message + "; nothing was sent", null, null);
    }

    public ProviderException exception(Kind kind, int status, String message, Duration retryAfter, Throwable cause) {
        // transport exceptions from HttpClient carry host names, never request headers: kept as they are
        return new ProviderException(kind, status, redact(message), retryAfter, cause);
    }

    /** The provider's own message (see {@link Dialect#messageOf()}), else the body text; truncated. */
    public String errorText(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            JsonNode node = json.readTree(body);
            String found = dialect.messageOf().apply(node);
            if (found != null) {
                return truncate(redact(found));
            }
        } catch (JacksonException notJson) {
            // fall through to the raw text
        }
        return truncate(redact(new String(body, StandardCharsets.UTF_8).strip()));
    }

    /**
     * The text with the API key masked. A key shorter than {@value #SHORTEST_SECRET} characters is no provider's
     * real key but a placeholder (the sandbox's is "sandbox"): masking it would mask ordinary words.
     */
    public String redact(String text) {
        if (text == null || apiKey == null || apiKey.length() < SHORTEST_SECRET) {
            return text;
        }
        return text.replace(apiKey, "***");
    }

    public static String truncate(String text) {
        return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "…";
    }

    /** scheme://host[:port]/path: no query string (signed CDN URLs carry tokens there). */
    public static String describe(URI uri) {
        if (uri == null) {
            return "";
        }
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    public static String orNone(String text) {
        return text.isEmpty() ? "(no message)" : text;
    }

    /** The body as text for {@link RetryAfter}; null when there is none. */
    public static String bodyText(byte[] body) {
        return body == null || body.length == 0 ? null : new String(body, StandardCharsets.UTF_8);
    }
}
