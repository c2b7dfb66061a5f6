package dev.zbatch.cost;

import dev.zbatch.config.ConfigException;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.provider.registry.AccountSettings;
import dev.zbatch.provider.registry.ProviderKind;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * How fast a run can go, and what that rests on. Requests leave at most at the provider's submission rate r
 * (per minute; 0 = no limit), and at most W are in flight at once, each taking the typical latency L: so the
 * throughput is min(r / 60, W / L) requests per second, and n requests take n / throughput + L (the last one
 * still has to be generated).
 *
 * @param submitsPerMinute the configured limit; 0 = none
 * @param window           the requests in flight at once (W)
 * @param windowSource     the setting W comes from
 * @param typicalLatency   how long one request takes at the provider (L)
 * @param latencySource    where L comes from (a setting, a published figure, or an assumption)
 */
public record Pace(int submitsPerMinute, int window, String windowSource, Duration typicalLatency,
                   String latencySource) {

    public Pace {
        if (submitsPerMinute < 0) throw new ConfigException("submits-per-minute cannot be negative");
        if (window < 1) throw new ConfigException("zbatch.submit.window must be at least 1 (it is " + window + ")");
        if (typicalLatency.isNegative()) throw new ConfigException("the typical latency cannot be negative");
    }

    /** The pace of the accounts the properties name, all together, as the run would keep to it. */
    public static Pace of(ZbatchProperties p) {
        Pace pace = uncapped(p);
        if (ProviderKind.of(p) == ProviderKind.SEGMIND
                && p.providers().segmind().mode() == ZbatchProperties.SegmindMode.SYNC) {
            // in sync mode each call lasts the whole generation: the calls at once bound what is in flight
            return new Pace(pace.submitsPerMinute, Math.min(pace.window, p.submit().concurrency()),
                    pace.windowSource + " and, in sync mode, zbatch.submit.concurrency", pace.typicalLatency,
                    pace.latencySource);
        }
        return pace;
    }

    private static Pace uncapped(ZbatchProperties p) {
        ProviderKind api = ProviderKind.of(p);
        int rate = combinedSubmitsPerMinute(p);
        Duration latency;
        String latencySource;
        if (p.cost().typicalLatency() != null) {
            latency = p.cost().typicalLatency();
            latencySource = "zbatch.cost.typical-latency";
        } else if (p.provider() == ZbatchProperties.ProviderName.SANDBOX) {
            latency = p.sandbox().minLatency().plus(p.sandbox().maxLatency()).dividedBy(2);
            latencySource = "the sandbox's, midway between zbatch.sandbox.min-latency and max-latency";
        } else {
            latency = api.typicalLatency();
            latencySource = api.latencySource();
        }
        int window = windowFor(p, rate, latency);
        String windowSource = p.submit().window() != null ? "zbatch.submit.window"
                : String.format(Locale.ROOT, "the limit and the latency (twice %d/min × %.2f s, at least %d; "
                        + "zbatch.submit.window sets it)", rate, latency.toMillis() / 1000.0, MIN_WINDOW);
        return new Pace(rate, window, windowSource, latency, latencySource);
    }

    /** The smallest window zbatch sets itself: enough for a slow limit and a run's first few rows. */
    static final int MIN_WINDOW = 16;

    /**
     * The in-flight window a run keeps: {@code zbatch.submit.window}, or by Little's law what keeps every account
     * at its limit (rate × latency requests are in flight on average), doubled for the time between a result
     * being ready and its poll, and at least {@value #MIN_WINDOW}.
     */
    public static int window(ZbatchProperties p) {
        return uncapped(p).window();
    }

    private static int windowFor(ZbatchProperties p, int rate, Duration latency) {
        if (p.submit().window() != null) return p.submit().window();
        if (rate == 0) return MIN_WINDOW;
        double inFlight = rate / 60.0 * latency.toMillis() / 1000.0;
        return (int) Math.max(MIN_WINDOW, Math.ceil(2 * inFlight));
    }

    /** What the accounts submit per minute together; 0 (no limit) when one of them has none. */
    static int combinedSubmitsPerMinute(ZbatchProperties p) {
        int sum = 0;
        for (AccountSettings account : AccountSettings.of(p)) {
            if (!account.limits().limitsSubmits()) return 0;
            sum += account.limits().submitsPerMinute();
        }
        return sum;
    }

    /** Requests per second at best; infinite when neither the rate nor the window limits (latency 0). */
    public double requestsPerSecond() {
        double byRate = submitsPerMinute > 0 ? submitsPerMinute / 60.0 : Double.POSITIVE_INFINITY;
        double latency = latencySeconds();
        double byWindow = latency > 0 ? window / latency : Double.POSITIVE_INFINITY;
        return Math.min(byRate, byWindow);
    }

    /** How long {@code requests} requests take: requests / throughput + the typical latency; 0 for none. */
    public double secondsFor(long requests) {
        if (requests <= 0) return 0;
        double perSecond = requestsPerSecond();
        double sending = Double.isInfinite(perSecond) ? 0 : requests / perSecond;
        return sending + latencySeconds();
    }

    /**
     * zbatch's own start, from the command to the first submission: the JVM, the ledger, reading and reconciling
     * the input. Measured at 1.5 to 1.9 s for the sample job with run.sh's fast start on a 2-core machine; rounded
     * up, since a bigger input takes longer to read.
     */
    public static final double START_UP_SECONDS = 2;

    /** {@link #secondsFor} from the command on: with zbatch's start-up; 0 for no requests. */
    public double secondsFromCommandFor(long requests) {
        return requests <= 0 ? 0 : START_UP_SECONDS + secondsFor(requests);
    }

    public double latencySeconds() {
        return typicalLatency.toNanos() / 1e9;
    }

    /** E.g. {@code at 50 submissions/min, window 16, typical latency 6.7 s (Segmind's model page)}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s, window %d, typical latency %s s (%s)",
                submitsPerMinute > 0 ? "at " + submitsPerMinute + " submissions/min" : "with no submission limit",
                window, latencyText(), latencySource);
    }

    /** {@link #describe()}, and the start-up that {@link #secondsFromCommandFor} adds. */
    public String describeFromCommand() {
        return describe() + ", and about " + Pace.human(START_UP_SECONDS) + " for zbatch to start";
    }

    /** The latency in seconds, as short as it goes: 6.7, 10, 0.9. */
    public String latencyText() {
        return BigDecimal.valueOf(typicalLatency.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    /** A duration a person reads at a glance: 40 s, 3 min 20 s, 6 h 40 min, 2 d 3 h. */
    public static String human(double seconds) {
        long s = (long) Math.ceil(seconds);
        if (s < 60) return s + " s";
        if (s < 3600) return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        long minutes = (s + 59) / 60;
        if (minutes < 48 * 60) return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
        long hours = (minutes + 59) / 60;
        return hours / 24 + " d" + (hours % 24 == 0 ? "" : " " + hours % 24 + " h");
    }
}
