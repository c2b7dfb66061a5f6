package dev.zbatch.cost;

import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.zbatch.reconcile.Delta;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** An {@link Estimate} for people (a few aligned lines) and for scripts (one JSON object). */
public final class EstimateReport {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private EstimateReport() {
    }

    public static String text(Estimate e) {
        StringBuilder sb = new StringBuilder();
        line(sb, "estimate", e.job() + " (dry run: nothing sent, nothing charged, no ledger written)");
        line(sb, "input", e.input().toString());
        line(sb, "provider", e.provider() + " " + e.model());
        line(sb, "rows", e.rows() + ": " + e.validRows() + " valid, " + e.rejectedRows() + " rejected");
        if (e.rejectedRows() > 0) {
            String label = "rejected";
            for (RejectedRow r : e.firstRejections()) {
                line(sb, label, r.toString());
                label = "";
            }
            line(sb, "", (e.rejectedRows() > e.firstRejections().size() ? "all " + e.rejectedRows() : "listed")
                    + " in " + e.rejectionsFile());
        }
        String images = Long.toString(e.images());
        if (e.duplicateRows() > 0) {
            images += "; " + e.duplicateImages() + " of them by " + e.duplicateRows() + (e.duplicateRows() == 1
                    ? " row that repeats" : " rows that repeat") + " an earlier row's request and fixed seed: copied, "
                    + "not generated (saves " + usd(e.duplicateSavingsUsd()) + ")";
        }
        if (e.cachedRows() > 0) {
            images += "; " + e.cachedImages() + " of them in the content cache for " + e.cachedRows()
                    + (e.cachedRows() == 1 ? " row" : " rows") + ": served from it, not generated (saves "
                    + usd(e.cacheSavingsUsd()) + ")";
        }
        line(sb, "images", images);
        String rounded = e.roundedSizes().warning();
        if (rounded != null) line(sb, "sizes", rounded);
        Price price = e.price();
        line(sb, "price", usd(price.usdPerImage()) + " per image"
                + (price.estimated() ? ", an ESTIMATE: " : ": ") + price.source());
        String accounts = e.accounts().describe();
        if (accounts != null) line(sb, "accounts", accounts);
        line(sb, "cost", (price.estimated() ? "about " : "") + usd(e.costUsd()) + " for " + e.imagesToGenerate()
                + (e.imagesToGenerate() == 1 ? " image" : " images"));
        line(sb, "time", (e.requests() == 0 ? "none" : "about " + Pace.human(e.seconds())) + " for " + e.requests()
                + (e.requests() == 1 ? " request, " : " requests, ") + e.pace().describeFromCommand());
        Delta d = e.delta();
        if (d != null) {
            line(sb, "ledger", "against the run already in the output folder: " + d.added() + " new, " + d.changed()
                    + " changed, " + d.unchanged() + " unchanged, " + d.removed() + " no longer in the input");
            line(sb, "to send", d.toSend() + (d.toSend() == 1 ? " row, " : " rows, ") + d.imagesToSend()
                    + (d.imagesToSend() == 1 ? " image, " : " images, ")
                    + (price.estimated() ? "about " : "") + usd(price.of(d.imagesToSend())) + ", "
                    + (d.toSend() == 0 ? "no time" : "about " + Pace.human(e.pace().secondsFromCommandFor(d.toSend())))
                    + " (the rest is made already, or in flight)");
            if (d.held()) {
                line(sb, "stop", "the run would stop before sending: " + d.changedWithImages() + " of the "
                        + d.withImagesBefore() + " rows with images changed their request (making them again: "
                        + usd(price.of(d.changedImages())) + "); --accept-changes lets it through");
            }
        }
        return sb.toString();
    }

    public static String json(Estimate e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("job", e.job());
        o.put("input", e.input().toString());
        o.put("provider", e.provider());
        o.put("model", e.model());
        o.put("rows", e.rows());
        o.put("valid_rows", e.validRows());
        o.put("rejected_rows", e.rejectedRows());
        ArrayNode rejections = o.putArray("rejections");
        for (RejectedRow r : e.firstRejections()) {
            ObjectNode n = rejections.addObject();
            n.put("line", r.line());
            n.put("id", r.id());
            n.put("field", r.field());
            n.put("reason", r.reason());
        }
        o.put("rejections_file", e.rejectionsFile() == null ? null : e.rejectionsFile().toString());
        o.put("images", e.images());
        o.put("duplicate_rows", e.duplicateRows());
        o.put("duplicate_images", e.duplicateImages());
        o.put("duplicate_savings_usd", e.duplicateSavingsUsd());
        o.put("cached_rows", e.cachedRows());
        o.put("cached_images", e.cachedImages());
        o.put("cache_savings_usd", e.cacheSavingsUsd());
        o.put("rows_with_sizes_off_the_grid", e.roundedSizes().rows());
        o.put("price_per_image_usd", e.price().usdPerImage());
        o.put("price_source", e.price().source());
        o.put("price_is_estimate", e.price().estimated());
        o.put("cost_usd", e.costUsd());
        o.put("requests", e.requests());
        o.put("submits_per_minute", e.pace().submitsPerMinute() > 0 ? e.pace().submitsPerMinute() : null);
        o.put("window", e.pace().window());
        o.put("typical_latency_s", new BigDecimal(e.pace().latencyText()));
        o.put("typical_latency_source", e.pace().latencySource());
        o.put("time_s", BigDecimal.valueOf(e.seconds()).setScale(1, RoundingMode.HALF_UP));
        var accounts = o.putArray("accounts");
        for (AccountShares.Share share : e.accounts().shares()) {
            var a = accounts.addObject();
            a.put("name", share.account());
            a.put("submits_per_minute", share.submitsPerMinute() > 0 ? share.submitsPerMinute() : null);
            a.put("share", BigDecimal.valueOf(share.share()).setScale(3, RoundingMode.HALF_UP));
            a.put("price_per_image_usd", share.pricePerImage());
        }
        Delta d = e.delta();
        if (d != null) {
            ObjectNode delta = o.putObject("against_ledger");
            delta.put("new", d.added());
            delta.put("changed", d.changed());
            delta.put("unchanged", d.unchanged());
            delta.put("removed", d.removed());
            delta.put("rows_to_send", d.toSend());
            delta.put("images_to_send", d.imagesToSend());
            delta.put("cost_usd", e.price().of(d.imagesToSend()));
            delta.put("time_s", BigDecimal.valueOf(e.pace().secondsFromCommandFor(d.toSend())).setScale(1, RoundingMode.HALF_UP));
            delta.put("changes_need_acceptance", d.held());
        }
        return JSON.writeValueAsString(o) + System.lineSeparator();
    }

    /** Dollars with 2 to 4 decimals: $1240.00, $0.056, $0.0312. */
    static String usd(BigDecimal amount) {
        int scale = Math.max(2, Math.min(4, amount.stripTrailingZeros().scale()));
        return "$" + amount.setScale(scale, RoundingMode.HALF_UP).toPlainString();
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(String.format(Locale.ROOT, "%-10s%s%n", label.isEmpty() ? "" : label + ":", value));
    }
}
