package dev.zbatch.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Faults the sandbox injects into its answers, to test a client's handling of an unreliable provider. All are off
 * by default ({@link #NONE}); set them through the {@code with*} methods of {@link SandboxSettings}.
 *
 * <p>Each fraction is applied with a deterministic draw: call number {@code k} (counted per kind of fault, from 0,
 * over the calls the fault can apply to) is hit when {@code SHA-256("<kind>\n" + k)} mapped to [0, 1) is below the
 * rate. So a server started with the same settings hits the same calls of a sequential test, a rate of 1.0 hits
 * every call and 0.0 none, and a retried call is a new call with its own draw (a request id or path is not part of
 * the draw, otherwise a retry could never succeed). Under concurrency the number of hits among the first n calls is
 * still fixed; which of the concurrent calls gets them is not.
 *
 * <p>Not a fault here: expiry. {@link SandboxSettings#retention()} already makes status, result and image calls
 * answer 404 that long after submission, for every API; a test of expired results sets a short retention
 * (e.g. {@code withRetention(Duration.ofMillis(300))}), then waits past it.
 *
 * @param serverErrorRate      0..1: the fraction of all API and image calls (Segmind v2 submit/status/result, v1,
 *                             credits; Pixazo submit/status; {@code /sandbox/images}) answered 500, 502 or 503 (in
 *                             turn) with a JSON error body in the API's shape, before anything else: before the key
 *                             check, the rate limit and the body is read. A submission answered so creates no job
 *                             (a clean failure; the ambiguous one is {@link SandboxSettings#dropAfterAccept()}).
 *                             {@code /sandbox/stats} is never hit.
 * @param truncateDownloadRate 0..1: the fraction of image downloads that would be answered with an image (GET, 200)
 *                             that send the full {@code Content-Length} but only the first half of the bytes, then
 *                             close the connection
 * @param rateLimitBurstEvery  0 = off; otherwise every N-th API call (Segmind and Pixazo, any endpoint, counted from 1
 *                             after the key check; not image downloads nor {@code /sandbox/stats}) starts a burst:
 *                             it and the next {@code rateLimitBurstLength - 1} API calls are answered 429 with
 *                             {@code Retry-After: 1}, whatever the submission token bucket says (a provider having a
 *                             bad minute). With N = 5, M = 3: calls 1-4 answered, 5-7 refused, 8-9 answered, 10-12
 *                             refused... A refused call does nothing (a submission creates no job).
 * @param rateLimitBurstLength M, the length of each burst: 1 to N - 1 when bursts are on (so some calls get through)
 * @param slowAnswer           0 = off; otherwise the delay added before answering a slowed call (to go beyond a
 *                             client's response timeout)
 * @param slowAnswerRate       0..1: the fraction of status (Segmind, Pixazo), result and image calls that wait
 *                             {@code slowAnswer} before they are handled (submissions are never slowed)
 * @param roundSizesTo         0 = off; otherwise every job's width and height are rounded down to a multiple of
 *                             this (at least one), as a model that works on a grid does: 1000x1000 at 16 is 992x992
 * @param answerFormat         null = off; otherwise every job's images are made in this format (png, jpeg, webp),
 *                             whatever the request asked
 */
public record SandboxFaults(
        double serverErrorRate,
        double truncateDownloadRate,
        int rateLimitBurstEvery,
        int rateLimitBurstLength,
        Duration slowAnswer,
        double slowAnswerRate,
        int roundSizesTo,
        String answerFormat) {

    /** No faults at all. */
    public static final SandboxFaults NONE = new SandboxFaults(0.0, 0.0, 0, 0, Duration.ZERO, 0.0, 0, null);

    public SandboxFaults {
        Objects.requireNonNull(slowAnswer, "slowAnswer");
        fraction("serverErrorRate", serverErrorRate);
        fraction("truncateDownloadRate", truncateDownloadRate);
        fraction("slowAnswerRate", slowAnswerRate);
        if (rateLimitBurstEvery < 0) throw new IllegalArgumentException("rateLimitBurstEvery must be >= 0, got "
                + rateLimitBurstEvery);
        if (rateLimitBurstEvery > 0 && (rateLimitBurstLength < 1 || rateLimitBurstLength >= rateLimitBurstEvery))
            throw new IllegalArgumentException("rateLimitBurstLength must be 1.." + (rateLimitBurstEvery - 1)
                    + " when rateLimitBurstEvery is " + rateLimitBurstEvery + ", got " + rateLimitBurstLength);
        if (rateLimitBurstEvery == 0 && rateLimitBurstLength < 0)
            throw new IllegalArgumentException("rateLimitBurstLength must be >= 0, got " + rateLimitBurstLength);
        if (slowAnswer.isNegative()) throw new IllegalArgumentException("slowAnswer must not be negative");
        if (roundSizesTo < 0) throw new IllegalArgumentException("roundSizesTo must be >= 0, got " + roundSizesTo);
        if (answerFormat != null && !java.util.List.of("png", "jpeg", "webp").contains(answerFormat))
            throw new IllegalArgumentException("answerFormat must be png, jpeg or webp, got " + answerFormat);
    }

    private static void fraction(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0))
            throw new IllegalArgumentException(name + " must be within 0..1, got " + value);
    }

    /** Whether any fault is on. */
    public boolean any() {
        return serverErrorRate > 0 || truncateDownloadRate > 0 || rateLimitBurstEvery > 0
                || (slowAnswerRate > 0 && !slowAnswer.isZero()) || roundSizesTo > 0 || answerFormat != null;
    }

    public SandboxFaults withServerErrorRate(double serverErrorRate) {
        return new SandboxFaults(serverErrorRate, truncateDownloadRate, rateLimitBurstEvery, rateLimitBurstLength,
                slowAnswer, slowAnswerRate, roundSizesTo, answerFormat);
    }

    public SandboxFaults withTruncateDownloadRate(double truncateDownloadRate) {
        return new SandboxFaults(serverErrorRate, truncateDownloadRate, rateLimitBurstEvery, rateLimitBurstLength,
                slowAnswer, slowAnswerRate, roundSizesTo, answerFormat);
    }

    /** Bursts of {@code length} 429s starting at every {@code every}-th API call; (0, 0) = off. */
    public SandboxFaults withRateLimitBurst(int every, int length) {
        return new SandboxFaults(serverErrorRate, truncateDownloadRate, every, length, slowAnswer, slowAnswerRate,
                roundSizesTo, answerFormat);
    }

    /** {@code rate} of status, result and image calls wait {@code delay}; (0, 0) = off. */
    public SandboxFaults withSlowAnswer(Duration delay, double rate) {
        return new SandboxFaults(serverErrorRate, truncateDownloadRate, rateLimitBurstEvery, rateLimitBurstLength,
                delay, rate, roundSizesTo, answerFormat);
    }

    /** Answers as a provider that rounds sizes to a grid and makes its own choice of format; (0, null) = off. */
    public SandboxFaults withLiberties(int roundSizesTo, String answerFormat) {
        return new SandboxFaults(serverErrorRate, truncateDownloadRate, rateLimitBurstEvery, rateLimitBurstLength,
                slowAnswer, slowAnswerRate, roundSizesTo, answerFormat);
    }

    int rounded(int pixels) {
        return roundSizesTo == 0 ? pixels : Math.max(roundSizesTo, pixels / roundSizesTo * roundSizesTo);
    }

    String answered(String askedFormat) {
        return answerFormat == null ? askedFormat : answerFormat;
    }
}
