package dev.zbatch.cost;

import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.provider.registry.AccountSettings;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * How a run's rows are expected to split over its accounts: each account runs at its own limit, so each takes a
 * share in proportion to its limit (equal shares when one has no limit); and what an image costs on average then.
 */
public final class AccountShares {

    /** @param share of the rows, 0 to 1 */
    public record Share(String account, int submitsPerMinute, double share, BigDecimal pricePerImage) {
    }

    private final List<Share> shares;
    private final Price price;

    private AccountShares(List<Share> shares, Price price) {
        this.shares = shares;
        this.price = price;
    }

    public static AccountShares of(ZbatchProperties properties, Price runPrice) {
        List<AccountSettings> accounts = AccountSettings.of(properties);
        boolean unlimited = accounts.stream().anyMatch(a -> !a.limits().limitsSubmits());
        double total = accounts.stream().mapToDouble(a -> unlimited ? 1 : a.limits().submitsPerMinute()).sum();
        List<Share> shares = new ArrayList<>();
        BigDecimal blended = BigDecimal.ZERO;
        boolean ownPrices = false;
        for (AccountSettings a : accounts) {
            double share = (unlimited ? 1 : a.limits().submitsPerMinute()) / total;
            BigDecimal perImage = a.price() != null ? a.price() : runPrice.usdPerImage();
            ownPrices |= a.price() != null;
            shares.add(new Share(a.name(), a.limits().submitsPerMinute(), share, perImage));
            blended = blended.add(perImage.multiply(BigDecimal.valueOf(share)));
        }
        Price price = !ownPrices ? runPrice : new Price(blended.round(MathContext.DECIMAL64).stripTrailingZeros(),
                "the accounts' prices, each for the share of the rows its limit gives it",
                runPrice.estimated() && accounts.stream().anyMatch(a -> a.price() == null));
        return new AccountShares(List.copyOf(shares), price);
    }

    public List<Share> shares() {
        return shares;
    }

    /** The price of an image: the run's, or with accounts of their own prices, the average the shares make. */
    public Price price() {
        return price;
    }

    /** "main 50/min, about 33 % of the rows at $0.031; spare 100/min, about 67 % at $0.02"; null for one account. */
    public String describe() {
        if (shares.size() < 2) return null;
        StringJoiner each = new StringJoiner("; ");
        for (Share s : shares) {
            each.add(String.format(Locale.ROOT, "%s %s, about %.0f %% of the rows at $%s", s.account(),
                    s.submitsPerMinute() > 0 ? s.submitsPerMinute() + "/min" : "no limit", s.share() * 100,
                    s.pricePerImage().toPlainString()));
        }
        return each.toString();
    }
}
