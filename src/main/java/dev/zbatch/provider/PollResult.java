package dev.zbatch.provider;

import java.net.URI;
import java.util.List;

/** Where a submitted request stands. */
public sealed interface PollResult {

    /** Still queued or processing; {@code status} is the provider's word for it. */
    record Pending(String status) implements PollResult {
    }

    /** Done: the images to download, in order, and the seed the provider used when it says. */
    record Completed(List<URI> imageUrls, Long seed) implements PollResult {
    }

    /** Terminal failure of this request (e.g. a content block), with the provider's own text. */
    record Failed(String reason) implements PollResult {
    }

    /**
     * The provider failed the request on its own side and did not charge it (Pixazo's ERROR): it may be sent
     * again, a bounded number of times.
     */
    record Retry(String reason) implements PollResult {
    }

    /** The provider no longer knows the request (never accepted, or its result expired). */
    record Expired(String detail) implements PollResult {
    }
}
