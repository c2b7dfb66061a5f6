package dev.zbatch.sandbox;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides, call by call, which of the {@link SandboxFaults} hit, and counts the hits in {@link SandboxStats}.
 * Draws are deterministic: the k-th call (from 0) a fault can apply to is hit when
 * {@link SandboxHashes#unitInterval} of {@code "<kind>\n" + k} is below its rate (see {@link SandboxFaults}).
 * Answering the call is the caller's (it knows the API's error shape).
 */
final class SandboxFaultInjector {

    /** Server errors are given in this order, over and over. */
    private static final int[] SERVER_ERRORS = {500, 502, 503};

    private final SandboxFaults faults;
    private final SandboxStats stats;
    private final AtomicLong serverErrorDraws = new AtomicLong();
    private final AtomicLong serverErrorsGiven = new AtomicLong();
    private final AtomicLong truncateDraws = new AtomicLong();
    private final AtomicLong slowDraws = new AtomicLong();
    private final AtomicLong apiCalls = new AtomicLong();

    SandboxFaultInjector(SandboxFaults faults, SandboxStats stats) {
        this.faults = faults;
        this.stats = stats;
    }

    /** 0, or the 5xx status (500, 502, 503 in turn) this call is to be answered with; counts it. */
    int serverError() {
        if (!hit("server-error", serverErrorDraws, faults.serverErrorRate())) return 0;
        stats.recordServerError();
        return SERVER_ERRORS[(int) (serverErrorsGiven.getAndIncrement() % SERVER_ERRORS.length)];
    }

    /**
     * Counts an API call; whether it falls in a 429 burst ({@link SandboxFaults#rateLimitBurstEvery()}); counts it
     * (as burst and as rate limited) when so.
     */
    boolean burstRateLimited() {
        int every = faults.rateLimitBurstEvery();
        if (every <= 0) return false;
        long k = apiCalls.incrementAndGet(); // from 1
        if (k < every || (k - every) % every >= faults.rateLimitBurstLength()) return false;
        stats.recordBurstRateLimited();
        stats.recordRateLimited();
        return true;
    }

    /** Whether this image download (one that would be answered with an image) is to be cut short; counts it. */
    boolean truncateDownload() {
        if (!hit("truncate", truncateDraws, faults.truncateDownloadRate())) return false;
        stats.recordTruncatedDownload();
        return true;
    }

    /**
     * Waits {@link SandboxFaults#slowAnswer()} when this status/result/image call is drawn to be slow (and counts
     * it). Returns false when interrupted while waiting (the server is closing: answer nothing).
     */
    boolean slowDown() {
        if (faults.slowAnswer().isZero() || !hit("slow", slowDraws, faults.slowAnswerRate())) return true;
        stats.recordSlowAnswer();
        try {
            Thread.sleep(faults.slowAnswer().toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean hit(String kind, AtomicLong draws, double rate) {
        if (rate <= 0) return false;
        return SandboxHashes.unitInterval(kind + "\n" + draws.getAndIncrement()) < rate;
    }
}
