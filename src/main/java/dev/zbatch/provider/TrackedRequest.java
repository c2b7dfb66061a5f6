package dev.zbatch.provider;

import java.net.URI;

/** A submitted request as the ledger remembers it. */
public record TrackedRequest(String requestId, URI pollUrl, URI resultUrl) {
}
