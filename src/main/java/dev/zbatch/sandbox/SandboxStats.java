package dev.zbatch.sandbox;

import tools.jackson.databind.json.JsonMapper;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the sandbox has been asked, live and thread-safe. Every HTTP call counts in {@link #requests()};
 * the other counters count calls of one kind whatever their answer, except {@link #submissions()}, which counts
 * accepted submissions only.
 *
 * <p>Submissions are also counted per request body, keyed by {@link #bodyKey(String)} (SHA-256 hex of the
 * canonicalised body JSON), so a test can assert that no row was submitted twice. With a persistent state
 * directory these per-body counts, and {@link #submissions()}, include the jobs accepted by earlier servers on
 * the same directory ({@link #restoredSubmissions()} of them).
 */
public final class SandboxStats {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final LongAdder requests = new LongAdder();
    private final LongAdder submissions = new LongAdder();
    private final LongAdder restoredSubmissions = new LongAdder();
    private final LongAdder rejectedSubmissions = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder outOfCredits = new LongAdder();
    private final LongAdder unauthorized = new LongAdder();
    private final LongAdder statusPolls = new LongAdder();
    private final LongAdder resultFetches = new LongAdder();
    private final LongAdder imageDownloads = new LongAdder();
    private final LongAdder droppedAnswers = new LongAdder();
    private final LongAdder webhookDeliveries = new LongAdder();
    private final LongAdder webhookFailures = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final LongAdder truncatedDownloads = new LongAdder();
    private final LongAdder burstRateLimited = new LongAdder();
    private final LongAdder slowAnswers = new LongAdder();
    private final ConcurrentHashMap<String, AtomicLong> submissionsPerBody = new ConcurrentHashMap<>();

    /**
     * The key under which a request body's submissions are counted: SHA-256 hex of its canonical JSON
     * (object keys sorted recursively, no whitespace). Throws a JacksonException if {@code bodyJson} is not JSON.
     */
    public static String bodyKey(String bodyJson) {
        return SandboxHashes.sha256Hex(SandboxHashes.canonicalJson(MAPPER, MAPPER.readTree(bodyJson)));
    }

    /** Every HTTP call the server answered. */
    public long requests() {
        return requests.sum();
    }

    /**
     * Accepted submissions of every API (Segmind v2 and v1, Pixazo), including restored ones and those whose answer
     * was dropped ({@link #droppedAnswers()}).
     */
    public long submissions() {
        return submissions.sum();
    }

    /** The part of {@link #submissions()} loaded from the state directory at start. */
    public long restoredSubmissions() {
        return restoredSubmissions.sum();
    }

    /** Submissions answered 400 (invalid body, unknown Pixazo model, non-loopback webhook), 404 (unknown Segmind
     * model) or 413 (body too large). */
    public long rejectedSubmissions() {
        return rejectedSubmissions.sum();
    }

    /** 429 answers given, by the submission token bucket or in a burst ({@link #burstRateLimited()}). */
    public long rateLimited() {
        return rateLimited.sum();
    }

    /**
     * Submissions refused because the account ran out ({@link SandboxSettings#outOfCreditsAfter()}): Segmind's 406,
     * Pixazo's 402. Not counted in {@link #rejectedSubmissions()}.
     */
    public long outOfCredits() {
        return outOfCredits.sum();
    }

    /** 401 answers given (a missing key, or every API call with {@link SandboxSettings#refuseKeys()}). */
    public long unauthorized() {
        return unauthorized.sum();
    }

    /** Calls of {@code GET /v2/requests/{id}/status} (Segmind) and {@code GET /v2/requests/status/{id}} (Pixazo). */
    public long statusPolls() {
        return statusPolls.sum();
    }

    /** Calls of {@code GET /v2/requests/{id}}. */
    public long resultFetches() {
        return resultFetches.sum();
    }

    /** Calls of {@code GET /sandbox/images/...}. */
    public long imageDownloads() {
        return imageDownloads.sum();
    }

    /** Accepted submissions answered with nothing (the connection closed), see {@link SandboxSettings#dropAfterAccept()}. */
    public long droppedAnswers() {
        return droppedAnswers.sum();
    }

    /** Webhook POSTs answered with a 2xx status. */
    public long webhookDeliveries() {
        return webhookDeliveries.sum();
    }

    /** Webhook POSTs that failed: I/O error, timeout or a non-2xx answer (never retried beyond the repeats). */
    public long webhookFailures() {
        return webhookFailures.sum();
    }

    /**
     * Injected 500/502/503 answers ({@link SandboxFaults#serverErrorRate()}). Such a call counts nowhere else but in
     * {@link #requests()}: it never reached its endpoint.
     */
    public long serverErrors() {
        return serverErrors.sum();
    }

    /** Image downloads cut short after half their bytes ({@link SandboxFaults#truncateDownloadRate()}). */
    public long truncatedDownloads() {
        return truncatedDownloads.sum();
    }

    /**
     * 429 answers given in a burst ({@link SandboxFaults#rateLimitBurstEvery()}); also counted in
     * {@link #rateLimited()}. Such a call never reached its endpoint (a submission is not a rejected one).
     */
    public long burstRateLimited() {
        return burstRateLimited.sum();
    }

    /** Calls that waited {@link SandboxFaults#slowAnswer()} before they were answered. */
    public long slowAnswers() {
        return slowAnswers.sum();
    }

    /** Accepted submissions of one body, by {@link #bodyKey(String)}. */
    public long submissionsOfBody(String bodyKey) {
        AtomicLong count = submissionsPerBody.get(bodyKey);
        return count == null ? 0 : count.get();
    }

    /** A snapshot: body key to accepted submissions, sorted by key. */
    public Map<String, Long> submissionsPerBody() {
        Map<String, Long> copy = new TreeMap<>();
        submissionsPerBody.forEach((key, count) -> copy.put(key, count.get()));
        return Collections.unmodifiableMap(copy);
    }

    /** The highest per-body count (1 when no body was submitted twice; 0 when nothing was submitted). */
    public long maxSubmissionsOfOneBody() {
        return submissionsPerBody.values().stream().mapToLong(AtomicLong::get).max().orElse(0);
    }

    /** A snapshot of every counter (without the per-body map), for JSON and logs. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("requests", requests());
        map.put("submissions", submissions());
        map.put("restored_submissions", restoredSubmissions());
        map.put("rejected_submissions", rejectedSubmissions());
        map.put("rate_limited", rateLimited());
        map.put("out_of_credits", outOfCredits());
        map.put("unauthorized", unauthorized());
        map.put("status_polls", statusPolls());
        map.put("result_fetches", resultFetches());
        map.put("image_downloads", imageDownloads());
        map.put("dropped_answers", droppedAnswers());
        map.put("webhook_deliveries", webhookDeliveries());
        map.put("webhook_failures", webhookFailures());
        map.put("server_errors", serverErrors());
        map.put("truncated_downloads", truncatedDownloads());
        map.put("burst_rate_limited", burstRateLimited());
        map.put("slow_answers", slowAnswers());
        map.put("distinct_bodies", (long) submissionsPerBody.size());
        map.put("max_submissions_of_one_body", maxSubmissionsOfOneBody());
        return map;
    }

    @Override
    public String toString() {
        return "SandboxStats" + toMap();
    }

    void recordRequest() {
        requests.increment();
    }

    void recordSubmission(String bodyKey) {
        submissions.increment();
        submissionsPerBody.computeIfAbsent(bodyKey, k -> new AtomicLong()).incrementAndGet();
    }

    void recordRestoredSubmission(String bodyKey) {
        restoredSubmissions.increment();
        recordSubmission(bodyKey);
    }

    void recordRejectedSubmission() {
        rejectedSubmissions.increment();
    }

    void recordRateLimited() {
        rateLimited.increment();
    }

    void recordOutOfCredits() {
        outOfCredits.increment();
    }

    void recordUnauthorized() {
        unauthorized.increment();
    }

    void recordStatusPoll() {
        statusPolls.increment();
    }

    void recordResultFetch() {
        resultFetches.increment();
    }

    void recordImageDownload() {
        imageDownloads.increment();
    }

    void recordDroppedAnswer() {
        droppedAnswers.increment();
    }

    void recordWebhookDelivery() {
        webhookDeliveries.increment();
    }

    void recordWebhookFailure() {
        webhookFailures.increment();
    }

    void recordServerError() {
        serverErrors.increment();
    }

    void recordTruncatedDownload() {
        truncatedDownloads.increment();
    }

    void recordBurstRateLimited() {
        burstRateLimited.increment();
    }

    void recordSlowAnswer() {
        slowAnswers.increment();
    }
}
