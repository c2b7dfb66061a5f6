package dev.zbatch.sandbox;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every API of the sandbox shares: the job store, the submission rate limit (one bucket for all APIs), the
 * account's balance ({@link SandboxSettings#outOfCreditsAfter()}), how a job's fate is drawn, whether its answer is
 * dropped, and the statistics.
 */
final class SandboxJobs {

    private static final long EVICTION_INTERVAL_MILLIS = 60_000;

    private final SandboxSettings settings;
    private final SandboxJobStore store;
    private final SandboxStats stats;
    private final SubmitRateLimiter limiter;
    private final String baseUrl;
    /** Submissions accepted (or about to be) by this server, counted only when the credits can run out. */
    private final AtomicInteger charged = new AtomicInteger();
    private volatile long lastEviction = System.currentTimeMillis();

    SandboxJobs(SandboxSettings settings, SandboxJobStore store, SandboxStats stats, String baseUrl) {
        this.settings = settings;
        this.store = store;
        this.stats = stats;
        this.baseUrl = baseUrl;
        this.limiter = new SubmitRateLimiter(settings.submitsPerMinute(), settings.effectiveSubmitBurst());
    }

    SandboxSettings settings() {
        return settings;
    }

    SandboxStats stats() {
        return stats;
    }

    SandboxJobStore store() {
        return store;
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    String baseUrl() {
        return baseUrl;
    }

    /** Takes a submission token: 0, or the whole seconds to wait (the 429 answer is the caller's, in its API's shape). */
    long tryAcquireSubmit() {
        long retryAfter = limiter.tryAcquire();
        if (retryAfter > 0) stats.recordRateLimited();
        return retryAfter;
    }

    /**
     * Reserves the credit a submission about to be accepted uses: true, or false (counted) when the account has run
     * out ({@link SandboxSettings#outOfCreditsAfter()}); the refusal is the caller's, in its API's shape, and it must
     * then create no job. Concurrent callers never get more than {@code outOfCreditsAfter} reservations.
     */
    boolean reserveCredit() {
        int limit = settings.outOfCreditsAfter();
        if (limit == 0) return true;
        if (charged.getAndUpdate(n -> n < limit ? n + 1 : n) < limit) return true;
        stats.recordOutOfCredits();
        return false;
    }

    /** Whether the account has run out: {@link SandboxSettings#outOfCreditsAfter()} submissions were accepted. */
    boolean outOfCredits() {
        int limit = settings.outOfCreditsAfter();
        return limit > 0 && charged.get() >= limit;
    }

    /**
     * Creates, persists and counts a newly accepted job; its latency, failure and error are drawn deterministically
     * from hashes of its id and body.
     *
     * @param canonicalBody  {@link SandboxHashes#canonicalJson} of the request body
     * @param requestedSeed  -1 = draw a random non-negative one
     * @param mayError       whether {@link SandboxSettings#errorRate()} applies (Pixazo only)
     */
    SandboxJob accept(String api, String model, String id, String canonicalBody, String prompt, int width, int height,
                      int steps, double guidanceScale, long requestedSeed, String imageFormat, int quality,
                      boolean base64, int numImages, boolean mayError, String webhookUrl) {
        long min = settings.minLatency().toMillis();
        long max = settings.maxLatency().toMillis();
        long latency = min + (long) Math.floor((max - min + 1) * SandboxHashes.unitInterval("latency\n" + id));
        latency = Math.min(max, latency);
        boolean fails = settings.failureRate() > 0
                && SandboxHashes.unitInterval(canonicalBody + "\n" + id) < settings.failureRate();
        boolean errors = mayError && settings.errorRate() > 0
                && SandboxHashes.unitInterval("error\n" + canonicalBody + "\n" + id) < settings.errorRate();
        long seed = requestedSeed == -1 ? ThreadLocalRandom.current().nextLong(0, Integer.MAX_VALUE) : requestedSeed;
        SandboxFaults faults = settings.faults();
        SandboxJob job = new SandboxJob(id, model, SandboxHashes.sha256Hex(canonicalBody), prompt,
                faults.rounded(width), faults.rounded(height), steps, guidanceScale, seed,
                faults.answered(imageFormat), quality, base64, System.currentTimeMillis(), latency, fails,
                api, numImages, errors, webhookUrl);
        store.add(job);
        stats.recordSubmission(job.bodyKey());
        evictExpiredNowAndThen();
        return job;
    }

    /**
     * Whether the answer to this accepted job's submission is to be dropped ({@link SandboxSettings#dropAfterAccept()});
     * counts it when so. The caller then returns without answering: the connection is closed with no response.
     */
    boolean dropAnswer(SandboxJob job) {
        double rate = settings.dropAfterAccept();
        if (rate <= 0 || SandboxHashes.unitInterval("drop\n" + job.id()) >= rate) return false;
        stats.recordDroppedAnswer();
        return true;
    }

    /** A job of this API that is known and not past retention. */
    Optional<SandboxJob> live(String id, String api) {
        long now = System.currentTimeMillis();
        return store.find(id).filter(job -> job.apiName().equals(api) && !job.expiredAt(now, settings.retention()));
    }

    private void evictExpiredNowAndThen() {
        long now = System.currentTimeMillis();
        if (now - lastEviction < EVICTION_INTERVAL_MILLIS) return;
        lastEviction = now;
        store.evictAcceptedBefore(now - settings.retention().toMillis());
    }
}
