package dev.zbatch.cost;

import dev.zbatch.cache.ContentCache;
import dev.zbatch.request.CanonicalJson;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.request.RowPlan;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts planned rows one at a time, deciding for each what the run would: REJECTED when invalid or when its id
 * repeats an earlier row's (as the ledger decides it), a duplicate when its request and fixed seed repeat an
 * earlier valid row's. Memory grows only by a few bytes per distinct id and fixed-seed request.
 */
final class RowTally {

    private final String provider;
    private final String model;
    private final RejectionsFile rejectionsFile;
    private final Hash64 hash = new Hash64();
    private final FirstLines ids = new FirstLines();
    private final FirstLines fixedSeedRequests = new FirstLines();
    private final List<RejectedRow> firstRejections = new ArrayList<>();
    private final ContentCache cache;

    long rows;
    long validRows;
    long rejectedRows;
    long images;
    long duplicateRows;
    long duplicateImages;
    long cachedRows;
    long cachedImages;

    /** @param cache the content cache the run would be served from, or null */
    RowTally(String provider, String model, RejectionsFile rejectionsFile, ContentCache cache) {
        this.provider = provider;
        this.model = model;
        this.rejectionsFile = rejectionsFile;
        this.cache = cache;
    }

    void add(RowPlan plan) {
        rows++;
        long line = plan.row().line();
        RejectedRow rejection = duplicateId(plan);
        if (rejection == null && plan.rejected()) {
            rejection = new RejectedRow(line, plan.id(), plan.rejection().field(), plan.rejection().reason());
        }
        if (rejection != null) {
            reject(rejection);
            return;
        }
        ImageRequest request = plan.request();
        validRows++;
        images += request.numImages();
        if (request.seed() != -1) {
            String sha = CanonicalJson.sha256(CanonicalJson.write(provider, model, request));
            if (fixedSeedRequests.putIfAbsent(Hash64.ofHex(sha), line) != FirstLines.NONE) {
                duplicateRows++;
                duplicateImages += request.numImages();
            } else if (cache != null && cache.contains(sha)) {
                cachedRows++;
                cachedImages += request.numImages();
            }
        }
    }

    /** As {@code Ledger.register}: every row with an id claims it; a later row with the same id is REJECTED. */
    private RejectedRow duplicateId(RowPlan plan) {
        if (plan.id() == null) return null;
        long firstLine = ids.putIfAbsent(hash.of(plan.id()), plan.row().line());
        if (firstLine == FirstLines.NONE) return null;
        return new RejectedRow(plan.row().line(), plan.id(), "id",
                "duplicate id '" + plan.id() + "' (first used on line " + firstLine + ")");
    }

    private void reject(RejectedRow rejection) {
        rejectedRows++;
        if (firstRejections.size() < Estimate.FIRST_REJECTIONS) firstRejections.add(rejection);
        rejectionsFile.add(rejection);
    }

    List<RejectedRow> firstRejections() {
        return firstRejections;
    }
}
