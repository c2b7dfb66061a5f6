package dev.zbatch.provider.sandbox;

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
 *                         A job is QUEUED for the first 20% of that time, then PROCESSING, then done.
 * @param failureRate      0..1: the fraction of jobs that end FAILED (HTTP 422), decided deterministically from a
 *                         hash of the request body and its id
 * @param submitsPerMinute 0 = unlimited; otherwise submissions are limited by a token bucket of capacity
 *                         {@link #effectiveSubmitBurst()} refilled at this rate; beyond it the answer is 429 with a
 *                         {@code Retry-After} header in whole seconds (rounded up). Polls are never limited.
 * @param submitBurst      capacity of that bucket; 0 = automatic: {@code max(1, ceil(submitsPerMinute / 60))},
 *                         i.e. one second's worth of submissions
 * @param retention        how long after submission status/result/image still answer; afterwards 404 like Segmind
 * @param stateDir         null = memory only; otherwise every accepted job is written there as a small JSON file
 *                         (atomically) so a new server on the same directory still answers for it, and the
 *                         per-body submission counts of {@link SandboxStats} survive a restart. One server at a time
 *                         per directory.
 * @param requireApiKey    when true, v2 calls without a non-empty {@code x-api-key} header get 401 (any value is
 *                         accepted). Image URLs and {@code /sandbox/stats} never need a key.
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
        boolean requireApiKey) {

    /** The only address the sandbox listens on. */
    public static final String BIND_ADDRESS = "127.0.0.1";

    public SandboxSettings {
        Objects.requireNonNull(minLatency, "minLatency");
        Objects.requireNonNull(maxLatency, "maxLatency");
        Objects.requireNonNull(retention, "retention");
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
    }

    /**
     * A free port, 0.5-2 s per job, no failures, no rate limit, automatic burst, 1 hour retention, memory only,
     * no key needed.
     */
    public static SandboxSettings defaults() {
        return new SandboxSettings(0, Duration.ofMillis(500), Duration.ofSeconds(2), 0.0, 0, 0,
                Duration.ofHours(1), null, false);
    }

    /** The capacity of the submission token bucket (see {@link #submitBurst()}). */
    public int effectiveSubmitBurst() {
        if (submitBurst > 0) return submitBurst;
        return Math.max(1, (submitsPerMinute + 59) / 60);
    }

    public SandboxSettings withPort(int port) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey);
    }

    public SandboxSettings withLatency(Duration min, Duration max) {
        return new SandboxSettings(port, min, max, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey);
    }

    public SandboxSettings withFailureRate(double failureRate) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey);
    }

    public SandboxSettings withSubmitsPerMinute(int submitsPerMinute) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey);
    }

    public SandboxSettings withSubmitBurst(int submitBurst) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey);
    }

    public SandboxSettings withRetention(Duration retention) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey);
    }

    public SandboxSettings withStateDir(Path stateDir) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey);
    }

    public SandboxSettings withRequireApiKey(boolean requireApiKey) {
        return new SandboxSettings(port, minLatency, maxLatency, failureRate, submitsPerMinute, submitBurst,
                retention, stateDir, requireApiKey);
    }
}
