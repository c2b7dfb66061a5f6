package dev.zbatch.cost;

import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.provider.registry.ProviderKind;
import dev.zbatch.request.ModelSpec;

import java.math.BigDecimal;

/**
 * The price per image of a run's provider and model: {@code zbatch.cost.price-per-image} when set, else the
 * provider's published price (Pixazo: Turbo $0.008, Base $0.01), else, for Segmind, which publishes no
 * per-image price, {@code zbatch.cost.segmind-estimate} (default $0.031, the figure its model page showed).
 * The sandbox charges nothing; its figures are those of the API it speaks, so that a trial run shows what the
 * real one would cost.
 */
public final class PriceTable {

    private PriceTable() {
    }

    public static Price priceOf(ZbatchProperties properties) {
        ZbatchProperties.Cost cost = properties.cost();
        if (cost.pricePerImage() != null) {
            return new Price(cost.pricePerImage(), "zbatch.cost.price-per-image", false);
        }
        ModelSpec spec = ProviderKind.spec(properties);
        String who = spec.provider() + " " + spec.model();
        String sandbox = properties.provider() == ZbatchProperties.ProviderName.SANDBOX
                ? "sandbox (nothing is charged), at " : "";
        if (spec.pricePerImageUsd() != null) {
            return new Price(spec.pricePerImageUsd(), sandbox + who + "'s published price", false);
        }
        BigDecimal estimate = cost.segmindEstimate();
        return new Price(estimate, sandbox + who + ": no published per-image price; estimate from its model page "
                + "(zbatch.cost.segmind-estimate)", true);
    }
}
