package dev.zbatch.provider;

import dev.zbatch.request.ImageRequest;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A turn to send one submission under a rate limit, from {@code PacedProvider.tryTurnToSubmit()}, handed to
 * {@link ImageProvider#submit(SubmitTurn, String, ImageRequest)}. A turn is good for one submission, from any thread;
 * {@link #NONE} (no turn waited for) lets the submission wait for its own.
 */
public final class SubmitTurn {

    /** No turn: a submission given it waits for the rate limit itself. */
    public static final SubmitTurn NONE = new SubmitTurn(null);

    private final Object issuer;
    private final AtomicBoolean used = new AtomicBoolean();

    private SubmitTurn(Object issuer) {
        this.issuer = issuer;
    }

    /** A turn granted by {@code issuer} (the rate limit that waited for it). */
    public static SubmitTurn grantedBy(Object issuer) {
        return new SubmitTurn(Objects.requireNonNull(issuer, "issuer"));
    }

    /** Whether this is a turn {@code issuer} granted and nobody has used yet; uses it up when so. */
    public boolean use(Object issuer) {
        return this.issuer == issuer && issuer != null && used.compareAndSet(false, true);
    }
}
