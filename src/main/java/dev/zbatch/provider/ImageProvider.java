package dev.zbatch.provider;

import dev.zbatch.request.ImageRequest;
import dev.zbatch.request.ModelSpec;

import java.net.URI;

/**
 * One hosted API family. Implementations speak its wire format over HTTP and classify every failure as a
 * {@link ProviderException} with a {@link ProviderException.Kind}; they hold no run state of their own (the
 * ledger does), so any request can be polled again after a restart from what {@link Submission} returned.
 * Calls may come from several threads at once.
 */
public interface ImageProvider extends AutoCloseable {

    /** Short name as used in configuration and the manifest, e.g. {@code segmind}. */
    String name();

    /** The specification of a model this provider serves; throws IllegalArgumentException for an unknown one. */
    ModelSpec model(String modelName);

    /** Sends one request, after waiting for the rate limit if it has one. Returns once the provider accepted it. */
    Submission submit(String modelName, ImageRequest request);

    /**
     * Sends one request in a turn its rate limit gave ({@code PacedProvider.tryTurnToSubmit}), or with
     * {@link SubmitTurn#NONE} after waiting for one. Callers take the turn before they record that a request is on
     * its way, so that a row waiting its turn is never taken for one that may have been sent.
     */
    default Submission submit(SubmitTurn turn, String modelName, ImageRequest request) {
        return submit(modelName, request);
    }

    /** Asks where a submitted request stands. */
    PollResult poll(TrackedRequest request);

    /** Fetches one finished image. */
    FetchedImage download(URI imageUrl);

    /**
     * The account's balance in USD when the provider tells it (Segmind's credits), for a warning before a run
     * the balance cannot cover; empty when it does not or cannot.
     *
     * @throws ProviderException of kind AUTH when the key is refused, so that a run stops before it sends anything
     */
    default java.util.Optional<java.math.BigDecimal> balance() {
        return java.util.Optional.empty();
    }

    /** Told once a request's images are verified and on disk; a provider may free what it kept for it. */
    default void collected(TrackedRequest request) {
    }

    @Override
    void close();
}
