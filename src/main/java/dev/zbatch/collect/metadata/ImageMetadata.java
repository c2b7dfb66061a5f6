package dev.zbatch.collect.metadata;

import dev.zbatch.ledger.InFlightRow;
import dev.zbatch.ledger.LedgerRow;
import dev.zbatch.request.CanonicalJson;
import dev.zbatch.request.ImageRequest;

/**
 * What zbatch writes into each image it saves: where the image came from, so that a file that has left its
 * output folder still says which prompt, seed, model, provider and input row made it.
 * <p>
 * Values are kept to characters that XML 1.0 allows (control characters other than tab and line breaks, and
 * lone surrogates, become U+FFFD), so every format can carry them unchanged. No API key is ever part of it.
 *
 * @param seed  the seed the provider reported, else the one the request fixed; null when neither is known
 * @param rowId the row's key as the manifest shows it: its id column, else its line number
 */
public record ImageMetadata(String prompt, Long seed, String model, String provider, String rowId) {

    public ImageMetadata {
        prompt = clean(prompt);
        model = clean(model);
        provider = clean(provider);
        rowId = clean(rowId);
    }

    /**
     * The metadata of a row's images.
     *
     * @param reportedSeed the seed the provider reported for the row, or null
     */
    public static ImageMetadata of(LedgerRow row, Long reportedSeed) {
        return of(CanonicalJson.read(row.requestJson()), row.model(), row.provider(), row.displayId(), reportedSeed);
    }

    /** {@link #of(LedgerRow, Long)} for a row in flight, its request already read. */
    public static ImageMetadata of(ImageRequest request, InFlightRow row, Long reportedSeed) {
        return of(request, row.model(), row.provider(), row.displayId(), reportedSeed);
    }

    private static ImageMetadata of(ImageRequest request, String model, String provider, String rowKey,
                                    Long reportedSeed) {
        Long seed = reportedSeed != null ? reportedSeed : request.seed() >= 0 ? Long.valueOf(request.seed()) : null;
        return new ImageMetadata(request.prompt(), seed, model, provider, rowKey);
    }

    static String clean(String value) {
        if (value == null) return "";
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> out.appendCodePoint(allowedInXml(c) ? c : 0xFFFD));
        return out.toString();
    }

    private static boolean allowedInXml(int c) {
        return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
