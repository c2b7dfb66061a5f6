package dev.zbatch.provider.http;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    /** Sunday, 1 June 2025, 12:00:00 UTC. */
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private static final Function<String, String> NO_HEADERS = name -> null;

    /** A header lookup that, like a plain map, is case-sensitive. */
    private static Function<String, String> headers(String... namesAndValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map::get;
    }

    private static Duration retryAfter(String value) {
        return RetryAfter.of(headers("Retry-After", value), null, NOW);
    }

    private static Duration resetAt(String value) {
        return RetryAfter.of(headers("x-rate-limit-reset-at-utc", value), null, NOW);
    }

    private static Duration body(String json) {
        return RetryAfter.of(NO_HEADERS, json, NOW);
    }

    @Nested
    class RetryAfterHeader {

        @Test
        void deltaSeconds() {
            assertThat(retryAfter("12")).isEqualTo(Duration.ofSeconds(12));
            assertThat(retryAfter(" 7 ")).isEqualTo(Duration.ofSeconds(7));
            assertThat(retryAfter("0")).isEqualTo(Duration.ZERO);
        }

        @Test
        void decimalSeconds() {
            assertThat(retryAfter("1.5")).isEqualTo(Duration.ofMillis(1500));
            assertThat(retryAfter("0.1")).isEqualTo(Duration.ofMillis(100));
            assertThat(retryAfter("0.0001")).as("rounded up to the millisecond").isEqualTo(Duration.ofMillis(1));
        }

        @Test
        void httpDateInTheFuture() {
            assertThat(retryAfter("Sun, 01 Jun 2025 12:01:30 GMT")).isEqualTo(Duration.ofSeconds(90));
        }

        @Test
        void httpDateInThePastIsZero() {
            assertThat(retryAfter("Sun, 01 Jun 2025 11:00:00 GMT")).isEqualTo(Duration.ZERO);
            assertThat(retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        }

        @ParameterizedTest
        @ValueSource(strings = {"soon", "-5", "1e3", "12s", "2025-06-01T12:00:45Z", " "})
        void garbageIsIgnored(String value) {
            assertThat(retryAfter(value)).isNull();
        }
    }

    @Nested
    class ResetAtHeader {

        @Test
        void isoInstantWithZ() {
            assertThat(resetAt("2025-06-01T12:00:45Z")).isEqualTo(Duration.ofSeconds(45));
            assertThat(resetAt("2025-06-01T12:00:45.250Z")).isEqualTo(Duration.ofMillis(45_250));
        }

        @Test
        void isoWithAnOffset() {
            assertThat(resetAt("2025-06-01T14:00:45+02:00")).isEqualTo(Duration.ofSeconds(45));
            assertThat(resetAt("2025-06-01T07:00:45-05:00")).isEqualTo(Duration.ofSeconds(45));
        }

        @Test
        void zonelessIsoIsUtc() {
            assertThat(resetAt("2025-06-01T12:00:45")).isEqualTo(Duration.ofSeconds(45));
            assertThat(resetAt("2025-06-01 12:00:45")).isEqualTo(Duration.ofSeconds(45));
        }

        @Test
        void epochSeconds() {
            assertThat(resetAt(Long.toString(NOW.getEpochSecond() + 10))).isEqualTo(Duration.ofSeconds(10));
            assertThat(resetAt((NOW.getEpochSecond() + 10) + ".5")).isEqualTo(Duration.ofMillis(10_500));
        }

        @Test
        void epochMillis() {
            assertThat(resetAt(Long.toString(NOW.toEpochMilli() + 2500))).isEqualTo(Duration.ofMillis(2500));
        }

        @Test
        void pastIsZero() {
            assertThat(resetAt("2025-06-01T11:59:00Z")).isEqualTo(Duration.ZERO);
            assertThat(resetAt(Long.toString(NOW.getEpochSecond() - 60))).isEqualTo(Duration.ZERO);
            assertThat(resetAt(Long.toString(NOW.toEpochMilli() - 60_000))).isEqualTo(Duration.ZERO);
        }

        @ParameterizedTest
        @ValueSource(strings = {"garbage", "-1748779245", "30", "2025-13-45T00:00:00Z", "tomorrow"})
        void garbageIsIgnored(String value) {
            assertThat(resetAt(value)).as("a small number is no epoch timestamp").isNull();
        }
    }

    @Nested
    class Body {

        @Test
        void retryAfterAsANumber() {
            assertThat(body("{\"retry_after\":12}")).isEqualTo(Duration.ofSeconds(12));
            assertThat(body("{\"retry_after\":2.5}")).isEqualTo(Duration.ofMillis(2500));
        }

        @Test
        void retryAfterAsAString() {
            assertThat(body("{\"retry_after\":\"12\"}")).isEqualTo(Duration.ofSeconds(12));
            assertThat(body("{\"retry_after\":\" 0.5 \"}")).isEqualTo(Duration.ofMillis(500));
        }

        @Test
        void retryAfterInsideAnErrorObject() {
            assertThat(body("{\"error\":{\"message\":\"slow down\",\"retry_after\":9}}"))
                    .isEqualTo(Duration.ofSeconds(9));
            assertThat(body("{\"retry_after\":3,\"error\":{\"retry_after\":9}}"))
                    .as("the top level first").isEqualTo(Duration.ofSeconds(3));
        }

        @Test
        void errorAsAStringIsNoObjectToLookInto() {
            assertThat(body("{\"error\":\"slow down\"}")).isNull();
        }

        @Test
        void retryAfterMs() {
            assertThat(body("{\"retry_after_ms\":1500}")).isEqualTo(Duration.ofMillis(1500));
            assertThat(body("{\"retry_after_ms\":\"250\"}")).isEqualTo(Duration.ofMillis(250));
            assertThat(body("{\"error\":{\"retry_after_ms\":750}}")).isEqualTo(Duration.ofMillis(750));
            assertThat(body("{\"retry_after\":2,\"retry_after_ms\":1500}"))
                    .as("seconds first").isEqualTo(Duration.ofSeconds(2));
        }

        @Test
        void unusableRetryAfterFallsThroughToRetryAfterMs() {
            assertThat(body("{\"retry_after\":-1,\"retry_after_ms\":1500}")).isEqualTo(Duration.ofMillis(1500));
            assertThat(body("{\"retry_after\":\"soon\",\"retry_after_ms\":1500}")).isEqualTo(Duration.ofMillis(1500));
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"   ", "not json", "<html>429</html>", "[1,2]", "12", "\"12\"", "{\"retry_after\":",
                "{}", "{\"retry_after\":null}", "{\"retry_after\":true}", "{\"retry_after\":-3}",
                "{\"retry_after\":\"-3\"}", "{\"retry_after\":\"later\"}", "{\"retry_after\":[5]}",
                "{\"retry_after\":{\"seconds\":5}}", "{\"retry_after_ms\":-1}"})
        void nullEmptyOrGarbageGivesNull(String body) {
            assertThat(body(body)).isNull();
        }
    }

    @Nested
    class Precedence {

        @Test
        void retryAfterWinsOverTheOthers() {
            var h = headers("Retry-After", "3", "x-rate-limit-reset-at-utc", "2025-06-01T12:00:45Z");
            assertThat(RetryAfter.of(h, "{\"retry_after\":20}", NOW)).isEqualTo(Duration.ofSeconds(3));
        }

        @Test
        void resetAtWinsOverTheBody() {
            var h = headers("x-rate-limit-reset-at-utc", "2025-06-01T12:00:45Z");
            assertThat(RetryAfter.of(h, "{\"retry_after\":20}", NOW)).isEqualTo(Duration.ofSeconds(45));
        }

        @Test
        void garbageRetryAfterFallsThroughToResetAt() {
            var h = headers("Retry-After", "soon", "x-rate-limit-reset-at-utc", "2025-06-01T12:00:45Z");
            assertThat(RetryAfter.of(h, "{\"retry_after\":20}", NOW)).isEqualTo(Duration.ofSeconds(45));
        }

        @Test
        void garbageHeadersFallThroughToTheBody() {
            var h = headers("Retry-After", "-1", "x-rate-limit-reset-at-utc", "whenever");
            assertThat(RetryAfter.of(h, "{\"retry_after\":20}", NOW)).isEqualTo(Duration.ofSeconds(20));
        }

        @Test
        void nothingUsableAnywhereIsNull() {
            var h = headers("Retry-After", "soon", "x-rate-limit-reset-at-utc", "whenever");
            assertThat(RetryAfter.of(h, "{\"error\":\"rate limited\"}", NOW)).isNull();
            assertThat(RetryAfter.of(NO_HEADERS, null, NOW)).isNull();
        }
    }

    @Nested
    class Cap {

        @Test
        void everySourceIsCappedAtOneHour() {
            assertThat(retryAfter("86400")).isEqualTo(Duration.ofHours(1));
            assertThat(retryAfter("3600")).isEqualTo(Duration.ofHours(1));
            assertThat(retryAfter("3599.5")).isEqualTo(Duration.ofMillis(3_599_500));
            assertThat(retryAfter("Mon, 02 Jun 2025 12:00:00 GMT")).isEqualTo(Duration.ofHours(1));
            assertThat(retryAfter("9".repeat(40))).isEqualTo(Duration.ofHours(1));
            assertThat(resetAt("2025-06-02T12:00:00Z")).isEqualTo(Duration.ofHours(1));
            assertThat(resetAt(Long.toString(NOW.getEpochSecond() + 7200))).isEqualTo(Duration.ofHours(1));
            assertThat(resetAt("9".repeat(40))).isEqualTo(Duration.ofHours(1));
            assertThat(body("{\"retry_after\":1e300}")).isEqualTo(Duration.ofHours(1));
            assertThat(body("{\"retry_after_ms\":99999999999999999999999}")).isEqualTo(Duration.ofHours(1));
            assertThat(RetryAfter.MAX).isEqualTo(Duration.ofHours(1));
        }
    }

    @Nested
    class HeaderNames {

        @Test
        void aCaseSensitiveLookupStillFindsTheLowerCaseSpelling() {
            assertThat(RetryAfter.of(headers("retry-after", "5"), null, NOW)).isEqualTo(Duration.ofSeconds(5));
        }

        @Test
        void theUsualSpellingIsTriedToo() {
            assertThat(RetryAfter.of(headers("Retry-After", "5"), null, NOW)).isEqualTo(Duration.ofSeconds(5));
            assertThat(RetryAfter.of(headers("x-rate-limit-reset-at-utc", "2025-06-01T12:00:45Z"), null, NOW))
                    .isEqualTo(Duration.ofSeconds(45));
        }

        @Test
        void aCaseInsensitiveLookupWorksAsItIs() {
            Function<String, String> insensitive = name -> name.equalsIgnoreCase("RETRY-AFTER") ? "6" : null;
            assertThat(RetryAfter.of(insensitive, null, NOW)).isEqualTo(Duration.ofSeconds(6));
        }
    }

    @Nested
    class NeverThrows {

        @Test
        void aNullOrFailingHeaderLookupCountsAsNoHeaders() {
            assertThat(RetryAfter.of(null, "{\"retry_after\":4}", NOW)).isEqualTo(Duration.ofSeconds(4));
            Function<String, String> broken = name -> {
                throw new IllegalStateException("boom");
            };
            assertThat(RetryAfter.of(broken, "{\"retry_after\":4}", NOW)).isEqualTo(Duration.ofSeconds(4));
            assertThat(RetryAfter.of(broken, null, NOW)).isNull();
        }

        @Test
        void aNullNowMeansNow() {
            assertThat(RetryAfter.of(headers("Retry-After", "5"), null, null)).isEqualTo(Duration.ofSeconds(5));
            String inAMinute = Long.toString(Instant.now().getEpochSecond() + 60);
            assertThat(RetryAfter.of(headers("x-rate-limit-reset-at-utc", inAMinute), null, null))
                    .isBetween(Duration.ofSeconds(55), Duration.ofSeconds(61));
        }

        @Test
        void aHugeBodyThatIsNotJsonIsJustIgnored() {
            assertThat(body("<html>" + "x".repeat(100_000) + "</html>")).isNull();
            assertThat(body("{\"a\":" + "[".repeat(5000))).isNull();
        }
    }
}
