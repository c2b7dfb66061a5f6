package dev.zbatch.output;

import dev.zbatch.ledger.AccountTally;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What each account of a run has done, in words, as the run's summary and {@code status} show it. */
public final class AccountLines {

    private AccountLines() {
    }

    /**
     * Each account's line without its name, by name: the accounts that sent rows, then those taken out of rotation
     * before they sent any. Empty for a run of one account that is still in rotation (its figures are the run's).
     *
     * @param over      how long the rate is reckoned over, or null for no rate
     * @param rateWords what that time is: "this run", "now"
     */
    public static Map<String, String> of(List<AccountTally> tallies, Map<String, String> takenOut, boolean sandbox,
                                         Duration over, String rateWords) {
        Map<String, String> lines = new LinkedHashMap<>();
        if (tallies.size() < 2 && takenOut.isEmpty()) return lines;
        for (AccountTally a : tallies) {
            String rate = over == null || a.acceptedSince() == 0 ? ""
                    : String.format(Locale.ROOT, " (%.1f/min %s)", a.perMinute(over), rateWords);
            lines.put(a.account(), String.format(Locale.ROOT, "%d sent%s, %d completed, %d failed, %d in flight, %s%s",
                    a.sent(), rate, a.completed(), a.failed(), a.inFlight(),
                    (sandbox ? "≈" : "") + SpendWords.dollars(a.spent()), outOfRotation(takenOut.get(a.account()))));
        }
        for (Map.Entry<String, String> out : takenOut.entrySet()) {
            lines.putIfAbsent(out.getKey(), "nothing sent" + outOfRotation(out.getValue()));
        }
        return lines;
    }

    private static String outOfRotation(String why) {
        return why == null ? "" : "; out of rotation: " + why;
    }
}
