package dev.zbatch.provider;

import java.math.BigDecimal;
import java.net.URI;

/**
 * What the provider answered to an accepted submission; everything needed to poll it again later.
 *
 * @param requestId the provider's id
 * @param pollUrl   where to ask for the status (as the provider returned it; never rebuilt by hand)
 * @param resultUrl where the result is fetched, or null when the poll answer carries it
 * @param costUsd   the provider's own figure for what this request costs, or null when it gives none
 */
public record Submission(String requestId, URI pollUrl, URI resultUrl, BigDecimal costUsd) {
}
