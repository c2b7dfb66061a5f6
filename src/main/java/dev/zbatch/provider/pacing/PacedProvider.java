package dev.zbatch.provider.pacing;

import dev.zbatch.provider.FetchedImage;
import dev.zbatch.provider.ImageProvider;
import dev.zbatch.provider.PollResult;
import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.Submission;
import dev.zbatch.provider.SubmitTurn;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.request.ModelSpec;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * An {@link ImageProvider} whose API calls wait for a {@link CallPacer} first: submissions, polls and balance
 * checks are paced; downloads are not (images come from CDNs, not the rate-limited API) but are counted. A
 * RATE_LIMITED answer to any call is reported to the pacer (which pauses everyone and slows down) and rethrown for
 * the caller to retry; an answered submit, poll or balance check is reported as a success. Safe for many threads, like the provider it wraps.
 */
public final class PacedProvider implements ImageProvider {

    static final String INTERRUPTED = "interrupted while waiting for the rate limit";
    static final String STOPPING = "the run is stopping: not sent (it waited for the rate limit)";

    private final ImageProvider delegate;
    private final CallPacer pacer;
    private final LongAdder submits = new LongAdder();
    private final LongAdder polls = new LongAdder();
    private final LongAdder downloads = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder balanceChecks = new LongAdder();

    private volatile BooleanSupplier submitsStopped = () -> false;
    private volatile BooleanSupplier callsStopped = () -> false;

    public PacedProvider(ImageProvider delegate, CallPacer pacer) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.pacer = Objects.requireNonNull(pacer, "pacer");
    }

    /**
     * From now on a wait for the rate limit (e.g. a 429 pause of up to an hour) ends early, with nothing sent, once
     * {@code submitsStopped} (for a submission) or {@code callsStopped} (for a poll) turns true.
     */
    public void giveUpWaitingWhen(BooleanSupplier submitsStopped, BooleanSupplier callsStopped) {
        this.submitsStopped = Objects.requireNonNull(submitsStopped, "submitsStopped");
        this.callsStopped = Objects.requireNonNull(callsStopped, "callsStopped");
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public ModelSpec model(String modelName) {
        return delegate.model(modelName);
    }

    /** A turn now if the submission pace allows one, without waiting; otherwise how long until it may. */
    public TurnNow tryTurnToSubmit() {
        long wait = pacer.trySubmitNow();
        return wait == 0 ? new TurnNow(SubmitTurn.grantedBy(this), 0) : new TurnNow(null, wait);
    }

    /** @param turn the turn, or null when there is none yet: then {@code nanosUntilNext} says how long to wait */
    public record TurnNow(SubmitTurn turn, long nanosUntilNext) {
    }

    @Override
    public Submission submit(String modelName, ImageRequest request) {
        return submit(SubmitTurn.NONE, modelName, request);
    }

    /** Goes at once in a turn this provider granted and nobody used; otherwise waits for the pace first. */
    @Override
    public Submission submit(SubmitTurn turn, String modelName, ImageRequest request) {
        if (!turn.use(this)) awaitPace(true);
        submits.increment();
        return paced(() -> delegate.submit(modelName, request), true);
    }

    @Override
    public PollResult poll(TrackedRequest request) {
        awaitPace(false);
        polls.increment();
        return paced(() -> delegate.poll(request), true);
    }

    /**
     * Not paced. A 429 here is still reported to the pacer; a success is not (a CDN answering must not reset the
     * API's 429 backoff).
     */
    @Override
    public FetchedImage download(URI imageUrl) {
        downloads.increment();
        return paced(() -> delegate.download(imageUrl), false);
    }

    /**
     * Waits for a calls token like a poll (it is an API call), then asks the delegate; not counted in
     * {@link #counts()} (see {@link #balanceChecks()}). A balance that came back means the API answered, which is
     * reported to the pacer as a success. Interrupted while waiting: nothing was sent, the interrupt flag is set
     * again and the answer is empty. Never throws unless the delegate does.
     */
    @Override
    public Optional<BigDecimal> balance() {
        try {
            pacer.beforeCall();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        balanceChecks.increment();
        Optional<BigDecimal> balance = delegate.balance();
        if (balance != null && balance.isPresent()) {
            pacer.succeeded();
        }
        return balance == null ? Optional.empty() : balance;
    }

    @Override
    public void collected(TrackedRequest request) {
        delegate.collected(request);
    }

    @Override
    public void close() {
        delegate.close();
    }

    public CallCounts counts() {
        return new CallCounts(submits.sum(), polls.sum(), downloads.sum(), rateLimited.sum());
    }

    /** Balance calls sent to the delegate (after their rate-limit wait); not part of {@link #counts()}. */
    public long balanceChecks() {
        return balanceChecks.sum();
    }

    public CallPacer pacer() {
        return pacer;
    }

    public ImageProvider delegate() {
        return delegate;
    }

    /**
     * Waits for the pace. Interrupted while waiting: nothing was sent, the interrupt flag is set again and a
     * TRANSIENT ProviderException is thrown; the same (without the flag) when the run stops meanwhile.
     */
    private void awaitPace(boolean submit) {
        try {
            boolean turn = submit ? pacer.beforeSubmit(submitsStopped) : pacer.beforeCall(callsStopped);
            if (!turn) throw new ProviderException(ProviderException.Kind.TRANSIENT, 0, STOPPING, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(ProviderException.Kind.TRANSIENT, 0, INTERRUPTED, null, e);
        }
    }

    private <T> T paced(Supplier<T> call, boolean reportSuccess) {
        T result;
        try {
            result = call.get();
        } catch (ProviderException e) {
            if (e.kind() == ProviderException.Kind.RATE_LIMITED) {
                rateLimited.increment();
                pacer.rateLimited(e.retryAfter());
            }
            throw e;
        }
        if (reportSuccess) {
            pacer.succeeded();
        }
        return result;
    }
}
