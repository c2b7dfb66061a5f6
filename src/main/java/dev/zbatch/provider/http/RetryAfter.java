package dev.zbatch.provider.http;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * How long a rate-limited (HTTP 429) answer asks the client to wait, read from whatever hint the provider gave.
 * Shared by every adapter so that all of them honour the same hints in the same order.
 *
 * <p>Sources, first usable one wins:
 * <ol>
 *   <li>header {@code Retry-After}: delta seconds ({@code "7"}, or a decimal such as {@code "1.5"}) or an
 *       HTTP-date in RFC 1123 form ({@code "Wed, 21 Oct 2015 07:28:00 GMT"});</li>
 *   <li>header {@code x-rate-limit-reset-at-utc} (seen on Segmind): an ISO-8601 date-time with {@code Z}, with an
 *       offset, or without a zone (read as UTC), or an epoch timestamp in seconds, or in milliseconds when the
 *       number is above 10<sup>11</sup>;</li>
 *   <li>the JSON body's {@code retry_after} (seconds, a number or a numeric string), at the top level or inside
 *       an {@code error} object; else {@code retry_after_ms} (milliseconds), looked up the same way.</li>
 * </ol>
 * A value that cannot be read (garbage, a negative number, an epoch timestamp before 2001) is ignored and the
 * next source is tried. A point in time that has already passed gives {@link Duration#ZERO}.
 *
 * <p>Every result is capped at {@link #MAX} (one hour): a longer hint is most likely wrong (a clock far off, a
 * timestamp in the wrong unit, a daily quota reset reported as a rate-limit window) and waiting it out would stall
 * a batch for no good reason; after an hour the caller simply tries again and gets a fresh hint.
 */
public final class RetryAfter {

    /** The longest wait any hint can ask for; longer hints are cut down to this. */
    public static final Duration MAX = Duration.ofHours(1);

    static final String RETRY_AFTER = "Retry-After";
    static final String RESET_AT = "x-rate-limit-reset-at-utc";

    private static final Pattern DECIMAL = Pattern.compile("\\d+(\\.\\d+)?");
    /** Epoch seconds below this (2001-09-09) cannot be a real reset time. */
    private static final BigDecimal MIN_EPOCH_SECONDS = BigDecimal.valueOf(1_000_000_000L);
    /** Epoch values above this are milliseconds (10^11 seconds would be the year 5138). */
    private static final BigDecimal EPOCH_MILLIS_ABOVE = BigDecimal.valueOf(100_000_000_000L);
    private static final BigDecimal MAX_MILLIS = BigDecimal.valueOf(MAX.toMillis());

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private RetryAfter() {
    }

    /**
     * How long a 429 answer asks us to wait.
     *
     * @param header looks a response header up by name (first value, or null); may be case-sensitive, both the
     *               usual spelling and the lower-case one are tried; may be null
     * @param body   the response body as text; may be null, empty or not JSON
     * @param now    the current time, to turn points in time into durations ({@code Instant.now()} when null)
     * @return the wait, between zero and {@link #MAX}; or null when the answer says nothing usable.
     *         Never throws.
     */
    public static Duration of(Function<String, String> header, String body, Instant now) {
        Instant at = now != null ? now : Instant.now();
        Duration d = safely(() -> fromRetryAfter(lookup(header, RETRY_AFTER), at));
        if (d == null) {
            d = safely(() -> fromResetAt(lookup(header, RESET_AT), at));
        }
        if (d == null) {
            d = safely(() -> fromBody(body));
        }
        return d == null ? null : cap(d);
    }

    /** A source that fails in a way not foreseen below counts as unusable: a hint must never break error handling. */
    private static Duration safely(Supplier<Duration> source) {
        try {
            return source.get();
        } catch (RuntimeException unforeseen) {
            return null;
        }
    }

    // ---------------------------------------------------------------- headers

    /** The header by its name, else by its lower-case name; null when absent or when the lookup fails. */
    private static String lookup(Function<String, String> header, String name) {
        if (header == null) {
            return null;
        }
        try {
            String v = header.apply(name);
            if (v == null || v.isBlank()) {
                v = header.apply(name.toLowerCase(Locale.ROOT));
            }
            return v == null || v.isBlank() ? null : v.strip();
        } catch (RuntimeException lookupFailed) {
            return null;
        }
    }

    /** {@code Retry-After}: delta seconds or an RFC 1123 HTTP-date; null when unusable. */
    static Duration fromRetryAfter(String value, Instant now) {
        if (value == null) {
            return null;
        }
        Duration delta = seconds(value);
        if (delta != null) {
            return delta;
        }
        try {
            return until(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant(), now);
        } catch (DateTimeException notADate) {
            return null;
        }
    }

    /** {@code x-rate-limit-reset-at-utc}: an ISO-8601 date-time or an epoch timestamp; null when unusable. */
    static Duration fromResetAt(String value, Instant now) {
        if (value == null) {
            return null;
        }
        if (DECIMAL.matcher(value).matches()) {
            BigDecimal n = new BigDecimal(value);
            if (n.compareTo(MIN_EPOCH_SECONDS) < 0) {
                return null; // 1970s "timestamps" are not reset times (perhaps a delta in the wrong header)
            }
            BigDecimal millis = n.compareTo(EPOCH_MILLIS_ABOVE) > 0 ? n : n.movePointRight(3);
            BigDecimal ahead = millis.subtract(BigDecimal.valueOf(now.toEpochMilli()));
            if (ahead.signum() <= 0) {
                return Duration.ZERO;
            }
            return millis(ahead); // capped before it could leave Instant's range
        }
        String iso = value.length() > 10 && value.charAt(10) == ' '
                ? value.substring(0, 10) + 'T' + value.substring(11) : value;
        try {
            return until(OffsetDateTime.parse(iso).toInstant(), now);          // ...Z or ...+02:00
        } catch (DateTimeException noOffset) {
            // try the other forms
        }
        try {
            return until(ZonedDateTime.parse(iso).toInstant(), now);           // ...+02:00[Europe/Paris]
        } catch (DateTimeException noZone) {
            // try the other forms
        }
        try {
            return until(LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC), now); // zoneless: UTC
        } catch (DateTimeException notIso) {
            return null;
        }
    }

    // ---------------------------------------------------------------- body

    /** The body's {@code retry_after} (seconds), else its {@code retry_after_ms}; null when neither is usable. */
    static Duration fromBody(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException | IllegalArgumentException notJson) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        JsonNode error = root.path("error");
        JsonNode nested = error.isObject() ? error : null;
        Duration d = field(root, nested, "retry_after", 3);
        return d != null ? d : field(root, nested, "retry_after_ms", 0);
    }

    /** The field at the top level, else inside {@code nested}; times 10^{@code millisShift} gives millis. */
    private static Duration field(JsonNode root, JsonNode nested, String name, int millisShift) {
        Duration d = amount(root.get(name), millisShift);
        if (d == null && nested != null) {
            d = amount(nested.get(name), millisShift);
        }
        return d;
    }

    /** A non-negative number, or a string holding one, times 10^{@code millisShift}, as millis; else null. */
    private static Duration amount(JsonNode v, int millisShift) {
        if (v == null) {
            return null;
        }
        BigDecimal n;
        if (v.isNumber()) {
            if (v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue())) {
                return null; // NaN or Infinity, when a lenient parser let them in
            }
            n = v.decimalValue();
        } else if (v.isString() && DECIMAL.matcher(v.asString().strip()).matches()) {
            n = new BigDecimal(v.asString().strip());
        } else {
            return null;
        }
        if (n.signum() < 0) {
            return null;
        }
        return millis(n.movePointRight(millisShift));
    }

    // ---------------------------------------------------------------- helpers

    /** Delta seconds, integer or decimal, rounded up to the millisecond; null when not such a number. */
    private static Duration seconds(String value) {
        if (!DECIMAL.matcher(value).matches()) {
            return null;
        }
        return millis(new BigDecimal(value).movePointRight(3));
    }

    /** Rounded up to the millisecond; {@link #MAX} when longer. */
    private static Duration millis(BigDecimal millis) {
        if (millis.compareTo(MAX_MILLIS) > 0) {
            return MAX;
        }
        return Duration.ofMillis(millis.setScale(0, RoundingMode.CEILING).longValueExact());
    }

    private static Duration until(Instant then, Instant now) {
        Duration d = Duration.between(now, then);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static Duration cap(Duration d) {
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}
