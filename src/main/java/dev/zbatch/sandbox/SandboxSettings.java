package dev.zbatch.sandbox;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the embedded sandbox server behaves. It always binds to {@link #BIND_ADDRESS} (loopback only).
 *
 * @param port             TCP port; 0 picks a free one (see {@link SandboxServer#baseUrl()})
 * @param minLatency       shortest processing time of a job
 * @param maxLatency       longest processing time of a job; each job's time is drawn uniformly between the two,
 *                         deterministically from a hash of its request id (so it is stable across polls and restarts).
 *                         A job is QUEUED for the first 20% of that time, then PROCESSING, then done. A Segmind v1
 *                         (sync) call waits that long before it answers.
 * @param failureRate      0..1: the fraction of jobs that end FAILED (Segmind v2: HTTP 422; Segmind v1: HTTP 400;
 *                         Pixazo: status FAILED), decided deterministically from a hash of the request body and its id
 * @param submitsPerMinute 0 = unlimited; otherwise submissions are limited by a token bucket of capacity
 *                         {@link #effectiveSubmitBurst()} refilled at this rate; beyond it the answer is 429 with a
 *                         {@code Retry-After} header in whole seconds (rounded up). Polls are never limited.
 * @param submitBurst      capacity of that bucket; 0 = automatic: {@code max(2, ceil(submitsPerMinute / 60))},
 *                         i.e. one second's worth of submissions, and at least two, as real per-window limiters
 *                         tolerate a request that arrives a little early after one that was delayed in transit
 * @param retention        how long after submission status/result/image still answer; afterwards 404 like Segmind
 *                         (and Pixazo). This is also the expiry fault: a test of expired results sets it short,
 *                         e.g. {@code withRetention(Duration.ofMillis(300))}, and waits past it.
 * @param stateDir         null = memory only; otherwise every accepted job is written there as a small JSON file
 *                         (atomically) so a new server on the same directory still answers for it, and the
 *                         per-body submission counts of {@link SandboxStats} survive a restart. One server at a time
 *                         per directory.
 * @param requireApiKey    when true, Segmind calls (v1 and v2) without a non-empty {@code x-api-key} header, and
 *                         Pixazo calls without a non-empty {@code Ocp-Apim-Subscription-Key} header, get 401 (any
 *                         value is accepted). Image URLs and {@code /sandbox/stats} never need a key.
 * @param errorRate        0..1: the fraction of Pixazo jobs that end in ERROR (a system error, "not charged"),
 *                         decided deterministically like {@code failureRate} but independently of it; ERROR wins over
 *                         FAILED when both are drawn. Segmind has no such state, so its jobs never get one.
 * @param webhookRepeats   how many times a Pixazo webhook ({@code X-Webhook-URL}) is POSTed once its job is terminal,
 *                         a few ms apart (real webhooks may repeat); 0 = never deliver (a lost webhook)
 * @param dropAfterAccept  0..1: the fraction of submissions (all APIs) that are accepted (stored, counted,
 *                         persisted, webhook scheduled) but answered with nothing: the connection is closed, so the
 *                         client sees an I/O error and cannot know whether it was accepted. Decided from a hash of
 *                         the request id.
 * @param credits          the balance {@code GET /v1/get-user-credits} reports (Segmind's credits, US dollars);
 *                         the sandbox never deducts anything from it, but reports 0 once {@code outOfCreditsAfter}
 *                         is reached
 * @param outOfCreditsAfter 0 = never; otherwise the account runs out once this server has accepted this many
 *                         submissions (all APIs together: Segmind v2 and v1, Pixazo; restored jobs do not count, and
 *                         concurrent submissions never get more accepted than this). Every further submission is
 *                         refused after its body is validated, creating no job: Segmind (v1 and v2) with 406
 *                         {@code {"error": "Insufficient credits", "sandbox": true}}, Pixazo with 402
 *                         {@code {"error": "insufficient balance", "message": ..., "sandbox": true}}. Status,
 *                         result and image calls go on answering for the jobs already accepted, and
 *                         {@code GET /v1/get-user-credits} reports 0.
 * @param refuseKeys       when true, every Segmind and Pixazo API call (submissions, status, result, credits) is
 *                         answered 401 whatever key it sends, as a provider answers a revoked key: Segmind
 *                         {@code {"error"}}, Pixazo {@code {"error", "message"}}. Checked where {@code requireApiKey}
 *                         is, so image URLs and {@code /sandbox/stats} still answer.
 * @param faults           injected faults (server errors, truncated downloads, 429 bursts, slow answers), all off
 *                         by default; see {@link SandboxFaults} for what each does and how calls are drawn. Set them
 *                         with {@link #withServerErrorRate}, {@link #withTruncateDownloadRate},
 *                         {@link #withRateLimitBurst} and {@link #withSlowAnswer}. They are grouped in one component
 *                         so that adding one does not change this record's constructor again.
 */
public record SandboxSettings(
        int port,
        Duration minLatency,
        Duration maxLatency,
        double failureRate,
        int submitsPerMinute,
        int submitBurst,
        Duration retention,
        Path stateDir,
        boolean requireApiKey,
        double errorRate,
        int webhookRepeats,
        double dropAfterAccept,
        BigDecimal credits,
        int outOfCreditsAfter,
        boolean refuseKeys,
        SandboxFaults faults) {

    /** Default {@link #credits()}. */
    public static final BigDecimal DEFAULT_CREDITS = BigDecimal.valueOf(100);

    /** The only address the sandbox listens on. */
    public static final String BIND_ADDRESS = "127.0.0.1";

    /** The most webhook repeats allowed. */
    public static final int MAX_WEBHOOK_REPEATS = 100;

    public SandboxSettings {
        Objects.requireNonNull(minLatency, "minLatency");
        Objects.requireNonNull(maxLatency, "maxLatency");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(credits, "credits");
        Objects.requireNonNull(faults, "faults");
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("port must be 0-65535, got " + port);
        if (minLatency.isNegative() || maxLatency.isNegative())
            throw new IllegalArgumentException("latencies must not be negative");
        if (maxLatency.compareTo(minLatency) < 0)
            throw new IllegalArgumentException("maxLatency (" + maxLatency + ") < minLatency (" + minLatency + ")");
        if (!(failureRate >= 0.0 && failureRate <= 1.0))
            throw new IllegalArgumentException("failureRate must be within 0..1, got " + failureRate);
        if (submitsPerMinute < 0) throw new IllegalArgumentException("submitsPerMinute must be >= 0");
        if (submitBurst < 0) throw new IllegalArgumentException("submitBurst must be >= 0");
        if (retention.isNegative() || retention.isZero()) throw new IllegalArgumentException("retention must be > 0");
        if (!(errorRate >= 0.0 && errorRate <= 1.0))
            throw new IllegalArgumentException("errorRate must be within 0..1, got " + errorRate);
        if (webhookRepeats < 0 || webhookRepeats > MAX_WEBHOOK_REPEATS)
            throw new IllegalArgumentException("webhookRepeats must be 0-" + MAX_WEBHOOK_REPEATS + ", got " + webhookRepeats);
        if (!(dropAfterAccept >= 0.0 && dropAfterAccept <= 1.0))
            throw new IllegalArgumentException("dropAfterAccept must be within 0..1, got " + dropAfterAccept);
        if (outOfCreditsAfter < 0)
            throw new IllegalArgumentException("outOfCreditsAfter must be >= 0, got " + outOfCreditsAfter);
    }

    /**
     * A free port, 0.5-2 s per job, no failures, no rate limit, automatic burst, 1 hour retention, memory only,
     * no key needed, no errors, each webhook delivered once, no dropped answers, 100 credits that never run out,
     * keys accepted, no faults.
     */
    public static SandboxSettings defaults() {
        return new SandboxSettings(0, Duration.ofMillis(500), Duration.ofSeconds(2), 0.0, 0, 0,
                Duration.ofHours(1), null, false, 0.0, 1, 0.0, DEFAULT_CREDITS, 0, false, SandboxFaults.NONE);
    }

    /** The capacity of the submission token bucket (see {@link #submitBurst()}). */
    public int effectiveSubmitBurst() {
        if (submitBurst > 0) return submitBurst;
        return Math.max(2, (submitsPerMinute + 59) / 60);
    }

    public SandboxSettings withPort(int port) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey, errorRate, webhookRepeats, dropAfterAccept, credits,
                outOfCreditsAfter, refuseKeys, faults);
    }

    public SandboxSettings withLatency(Duration min, Duration max) {
        return new SandboxSettings(port, min, max, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey, errorRate, webhookRepeats, dropAfterAccept, credits,
                outOfCreditsAfter, refuseKeys, faults);
    }

    public SandboxSettings withFailureRate(double failureRate) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey, errorRate, webhookRepeats, dropAfterAccept, credits,
                outOfCreditsAfter, refuseKeys, faults);
    }

    public SandboxSettings withSubmitsPerMinute(int submitsPerMinute) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey, errorRate, webhookRepeats, dropAfterAccept, credits,
                outOfCreditsAfter, refuseKeys, faults);
    }

    public SandboxSettings withSubmitBurst(int submitBurst) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey, errorRate, webhookRepeats, dropAfterAccept, credits,
                outOfCreditsAfter, refuseKeys, faults);
    }

    public SandboxSettings withRetention(Duration retention) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey, errorRate, webhookRepeats, dropAfterAccept, credits,
                outOfCreditsAfter, refuseKeys, faults);
    }

    public SandboxSettings withStateDir(Path stateDir) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey, errorRate, webhookRepeats, dropAfterAccept, credits,
                outOfCreditsAfter, refuseKeys, faults);
    }

    public SandboxSettings withRequireApiKey(boolean requireApiKey) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey, errorRate, webhookRepeats, dropAfterAccept, credits,
                outOfCreditsAfter, refuseKeys, faults);
    }

    public SandboxSettings withErrorRate(double errorRate) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey, errorRate, webhookRepeats, dropAfterAccept, credits,
                outOfCreditsAfter, refuseKeys, faults);
    }

    public SandboxSettings withWebhookRepeats(int webhookRepeats) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey, errorRate, webhookRepeats, dropAfterAccept, credits,
                outOfCreditsAfter, refuseKeys, faults);
    }

    public SandboxSettings withDropAfterAccept(double dropAfterAccept) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey, errorRate, webhookRepeats, dropAfterAccept, credits,
                outOfCreditsAfter, refuseKeys, faults);
    }

    public SandboxSettings withCredits(BigDecimal credits) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey, errorRate, webhookRepeats, dropAfterAccept, credits,
                outOfCreditsAfter, refuseKeys, faults);
    }

    public SandboxSettings withOutOfCreditsAfter(int outOfCreditsAfter) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey, errorRate, webhookRepeats, dropAfterAccept, credits,
                outOfCreditsAfter, refuseKeys, faults);
    }

    public SandboxSettings withRefuseKeys(boolean refuseKeys) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey, errorRate, webhookRepeats, dropAfterAccept, credits,
                outOfCreditsAfter, refuseKeys, faults);
    }

    public SandboxSettings withFaults(SandboxFaults faults) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey, errorRate, webhookRepeats, dropAfterAccept, credits,
                outOfCreditsAfter, refuseKeys, faults);
    }

    /** See {@link SandboxFaults#serverErrorRate()}. */
    public SandboxSettings withServerErrorRate(double serverErrorRate) {
        return withFaults(faults.withServerErrorRate(serverErrorRate));
    }

    /** See {@link SandboxFaults#truncateDownloadRate()}. */
    public SandboxSettings withTruncateDownloadRate(double truncateDownloadRate) {
        return withFaults(faults.withTruncateDownloadRate(truncateDownloadRate));
    }

    /** See {@link SandboxFaults#rateLimitBurstEvery()}; (0, 0) = off. */
    public SandboxSettings withRateLimitBurst(int every, int length) {
        return withFaults(faults.withRateLimitBurst(every, length));
    }

    /** See {@link SandboxFaults#roundSizesTo()} and {@link SandboxFaults#answerFormat()}; (0, null) = off. */
    public SandboxSettings withLiberties(int roundSizesTo, String answerFormat) {
        return withFaults(faults.withLiberties(roundSizesTo, answerFormat));
    }

    /** See {@link SandboxFaults#slowAnswer()}; (0, 0) = off. */
    public SandboxSettings withSlowAnswer(Duration delay, double rate) {
        return withFaults(faults.withSlowAnswer(delay, rate));
    }

    /** {@link SandboxFaults#serverErrorRate()} of {@link #faults()}. */
    public double serverErrorRate() {
        return faults.serverErrorRate();
    }

    /** {@link SandboxFaults#truncateDownloadRate()} of {@link #faults()}. */
    public double truncateDownloadRate() {
        return faults.truncateDownloadRate();
    }

    /** {@link SandboxFaults#rateLimitBurstEvery()} of {@link #faults()}. */
    public int rateLimitBurstEvery() {
        return faults.rateLimitBurstEvery();
    }

    /** {@link SandboxFaults#rateLimitBurstLength()} of {@link #faults()}. */
    public int rateLimitBurstLength() {
        return faults.rateLimitBurstLength();
    }

    /** {@link SandboxFaults#slowAnswer()} of {@link #faults()}. */
    public Duration slowAnswer() {
        return faults.slowAnswer();
    }

    /** {@link SandboxFaults#slowAnswerRate()} of {@link #faults()}. */
    public double slowAnswerRate() {
        return faults.slowAnswerRate();
    }
}
