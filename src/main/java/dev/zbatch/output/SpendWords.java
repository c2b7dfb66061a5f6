package dev.zbatch.output;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A run's spend as a user reads it. The sandbox charges nothing: its runs say "$0 charged" first, with the figure
 * a real provider's price would have made (so that a trial run still tells what the real one will cost).
 */
public final class SpendWords {

    private SpendWords() {
    }

    public static boolean isSandbox(String provider) {
        return "sandbox".equals(provider);
    }

    /** In dollars and cents: "$1.09". */
    public static String dollars(BigDecimal usd) {
        return "$" + usd.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    /** "$1.09", or with the sandbox "$0 charged (≈$1.09 at the price of a real provider)". */
    public static String of(BigDecimal usd, boolean sandbox) {
        return sandbox ? "$0 charged (≈" + dollars(usd) + " at the price of a real provider)" : dollars(usd);
    }

    /** The same, short enough for a progress bar: "$1.09", or "$0 (≈$1.09)". */
    public static String brief(BigDecimal usd, boolean sandbox) {
        return sandbox ? "$0 (≈" + dollars(usd) + ")" : dollars(usd);
    }
}
