package dev.zbatch.cost;

import java.math.BigDecimal;

/**
 * What one image costs, and where the figure comes from (shown beside every estimate).
 *
 * @param estimated true when the provider publishes no price and the figure is an estimate
 */
public record Price(BigDecimal usdPerImage, String source, boolean estimated) {

    public BigDecimal of(long images) {
        return usdPerImage.multiply(BigDecimal.valueOf(images));
    }
}
