package dev.zbatch.provider;

import java.time.Duration;

/**
 * A failed call to a provider, classified once so that callers decide by {@link Kind} alone.
 * The message never contains an API key.
 */
public class ProviderException extends RuntimeException {

    public enum Kind {
        /** 5xx, timeouts, connection errors on idempotent calls: retry with backoff. */
        TRANSIENT,
        /** 429: wait {@link #retryAfter()} when given, then retry. */
        RATE_LIMITED,
        /** 401/403: stop at once; the key is missing, wrong or not allowed. */
        AUTH,
        /** 402/406: out of credits or balance; stop resumably. */
        CREDITS,
        /** 400: this request is wrong; the row is REJECTED with the provider's message. */
        BAD_REQUEST,
        /**
         * The submission may or may not have been accepted (connection lost after the request left, or a 5xx
         * on submit): never resend blindly; the row becomes UNKNOWN.
         */
        AMBIGUOUS_SUBMIT,
        /** The answer could not be understood (unexpected body or status). */
        PROTOCOL
    }

    private final Kind kind;
    private final int httpStatus;
    private final Duration retryAfter;

    public ProviderException(Kind kind, int httpStatus, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    public ProviderException(Kind kind, int httpStatus, String message) {
        this(kind, httpStatus, message, null, null);
    }

    public Kind kind() { return kind; }

    /** The HTTP status, or 0 when there was no answer. */
    public int httpStatus() { return httpStatus; }

    /** How long the server asked us to wait, or null. */
    public Duration retryAfter() { return retryAfter; }
}
