package dev.zbatch.cli;

import dev.zbatch.config.ConfigException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code bench --rows 2000 --rate 1200/min --latency 0.5-2s [--size 256] [--format jpeg] [--window N]
 * [--stop-after 60s] [--keep]}, or with {@code --accounts 60/min,30/min} instead of {@code --rate}: one account,
 * with a sandbox of its own, per rate.
 *
 * @param accountRates each account's limit (one account at {@code ratePerMinute} when not given)
 * @param ratePerMinute the limit, all accounts together
 */
record BenchOptions(long rows, List<Integer> accountRates, int ratePerMinute, Duration minLatency, Duration maxLatency, int size,
                    String format, Integer window, Duration stopAfter, boolean keep) {

    static BenchOptions from(Map<String, String> flags) {
        long rows = Long.parseLong(flags.getOrDefault("bench.rows", "2000"));
        List<Integer> accountRates = new ArrayList<>();
        if (flags.containsKey("bench.accounts")) {
            if (flags.containsKey("bench.rate")) {
                throw new ConfigException("bench: give --rate or --accounts (each account's rate), not both");
            }
            for (String each : flags.get("bench.accounts").split(",")) accountRates.add(parseRate(each));
        } else {
            accountRates.add(parseRate(flags.getOrDefault("bench.rate", "1200/min")));
        }
        if (accountRates.stream().anyMatch(r -> r < 1)) throw new ConfigException("bench: rates must be positive");
        int rate = accountRates.stream().mapToInt(Integer::intValue).sum();
        Duration[] latency = parseLatency(flags.getOrDefault("bench.latency", "0.5-2s"));
        int size = Integer.parseInt(flags.getOrDefault("bench.size", "256"));
        String format = flags.getOrDefault("bench.format", "jpeg");
        // unset: the run's own, from the limits and the latency
        Integer window = flags.containsKey("bench.window") ? Integer.valueOf(flags.get("bench.window")) : null;
        Duration stopAfter = flags.containsKey("bench.stop-after")
                ? parseDuration(flags.get("bench.stop-after")) : null;
        boolean keep = Boolean.parseBoolean(flags.getOrDefault("bench.keep", "false"));
        if (rows < 1 || rate < 1) throw new ConfigException("bench: --rows and --rate must be positive");
        return new BenchOptions(rows, List.copyOf(accountRates), rate, latency[0], latency[1], size, format, window, stopAfter, keep);
    }

    /** "1200/min", "20/s" or "1200". */
    static int parseRate(String text) {
        String t = text.trim().toLowerCase();
        try {
            if (t.endsWith("/s")) return Integer.parseInt(t.substring(0, t.length() - 2)) * 60;
            if (t.endsWith("/min")) t = t.substring(0, t.length() - 4);
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new ConfigException("bench: --rate '" + text + "' is not like 1200/min");
        }
    }

    /** "0.5-2s", "500ms-2s", "1s": uniform between the two. */
    static Duration[] parseLatency(String text) {
        String[] parts = text.trim().split("-");
        if (parts.length > 2) throw new ConfigException("bench: --latency '" + text + "' is not like 0.5-2s");
        String unit = parts[parts.length - 1].replaceAll("[0-9.]", "");
        Duration min = parseDuration(parts[0].matches(".*[a-z]$") ? parts[0] : parts[0] + unit);
        Duration max = parts.length == 2 ? parseDuration(parts[1]) : min;
        if (max.compareTo(min) < 0) throw new ConfigException("bench: --latency: the second figure is smaller");
        return new Duration[]{min, max};
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase();
        try {
            if (t.endsWith("ms")) return Duration.ofNanos((long) (Double.parseDouble(t.substring(0, t.length() - 2)) * 1e6));
            if (t.endsWith("min")) return Duration.ofNanos((long) (Double.parseDouble(t.substring(0, t.length() - 3)) * 6e10));
            if (t.endsWith("s")) return Duration.ofNanos((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1e9));
            if (t.endsWith("m")) return Duration.ofNanos((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 6e10));
            return Duration.ofNanos((long) (Double.parseDouble(t) * 1e9));
        } catch (NumberFormatException e) {
            throw new ConfigException("bench: '" + text + "' is not a duration like 2s or 500ms");
        }
    }
}
