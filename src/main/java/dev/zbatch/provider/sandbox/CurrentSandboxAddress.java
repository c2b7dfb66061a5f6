package dev.zbatch.provider.sandbox;

import dev.zbatch.provider.FetchedImage;
import dev.zbatch.provider.ImageProvider;
import dev.zbatch.provider.PollResult;
import dev.zbatch.provider.Submission;
import dev.zbatch.provider.SubmitTurn;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.request.ModelSpec;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Optional;

/**
 * Sends a request's polls to the embedded sandbox of this process, whichever sandbox accepted it. The sandbox keeps
 * its jobs beside the ledger, so a resumed run finds the requests of the run before; but it listens on a new port
 * each time, and the poll and result URLs in the ledger name the port of the sandbox that answered them.
 */
public final class CurrentSandboxAddress implements ImageProvider {

    private final ImageProvider provider;
    private final URI baseUrl;

    public CurrentSandboxAddress(ImageProvider provider, URI baseUrl) {
        this.provider = provider;
        this.baseUrl = baseUrl;
    }

    @Override
    public PollResult poll(TrackedRequest request) {
        return provider.poll(current(request));
    }

    @Override
    public FetchedImage download(URI imageUrl) {
        return provider.download(current(imageUrl));
    }

    @Override
    public void collected(TrackedRequest request) {
        provider.collected(current(request));
    }

    private TrackedRequest current(TrackedRequest request) {
        return new TrackedRequest(request.requestId(), current(request.pollUrl()), current(request.resultUrl()));
    }

    /** A URL of a sandbox (this one or one before, on the same host) on this one; any other URL as it is. */
    private URI current(URI url) {
        if (url == null || !baseUrl.getScheme().equals(url.getScheme()) || !baseUrl.getHost().equals(url.getHost())) {
            return url; // e.g. the file: URLs of Segmind's synchronous mode, which keeps its images in a spool
        }
        return baseUrl.resolve(url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    }

    @Override
    public String name() {
        return provider.name();
    }

    @Override
    public ModelSpec model(String modelName) {
        return provider.model(modelName);
    }

    @Override
    public Submission submit(String modelName, ImageRequest request) {
        return provider.submit(modelName, request);
    }

    @Override
    public Submission submit(SubmitTurn turn, String modelName, ImageRequest request) {
        return provider.submit(turn, modelName, request);
    }

    @Override
    public Optional<BigDecimal> balance() {
        return provider.balance();
    }

    @Override
    public void close() {
        provider.close();
    }
}
