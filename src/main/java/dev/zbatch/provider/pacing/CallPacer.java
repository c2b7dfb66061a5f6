package dev.zbatch.provider.pacing;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

/**
 * Sets the pace of every API call of one run; one instance is shared by all threads. It is never
 * faster than the configured limits; on a 429 it waits what the server asks, and slows down.
 *
 * <h2>Buckets</h2>
 * Two Bucket4j token buckets, each of capacity {@link RateLimits#burst()} and refilled greedily (smoothly) at its
 * rate: one for submissions, one for all calls (submissions and polls). A limit of 0 has no bucket. A call
 * takes its tokens only at the moment it is let through, never in advance and never on credit, so over any
 * window of 60 s at most {@code rate + burst - 1} calls go (with burst 1 they are evenly spaced).
 * A submission takes its submission token and its calls token together, only once both are there: it never holds
 * one while it waits for the other.
 *
 * <h2>Waiting</h2>
 * Every check (pause, tokens) and every take happens under one lock; waiting happens outside it with one sleep of
 * exactly the time Bucket4j says the next token needs (no spinning), after which the caller checks everything
 * again, so a pause that began while it slept applies to it. Callers are not served in arrival order: when several
 * wake for the same token, one takes it and the others sleep again until the next.
 *
 * <h2>Priority of submissions over polls</h2>
 * When calls are limited and a submission is waiting (inside {@link #beforeSubmit()}), a poll takes a calls token
 * only if one still remains for the submission afterwards: another token is in the bucket, or the bucket refills one
 * by the time the next submission token is due. Otherwise the poll steps aside and checks again one calls interval
 * after the submission's turn. So a waiting submission never loses its calls token to a poll, and polls keep every
 * calls token that submissions cannot use: with {@code submitsPerMinute < callsPerMinute} at least the difference.
 * When submissions have no limit of their own, waiting submissions have every calls token; the run's in-flight
 * window (which stops submitting while it is full) is then what gives polls their turn.
 *
 * <h2>On 429</h2>
 * {@link #rateLimited(Duration)} pauses every caller until now + Retry-After, or without a hint for a capped,
 * jittered exponential backoff (1 s doubling per consecutive 429 up to 60 s, less up to 20 % jitter). A pause only
 * ever extends. A 429 that starts a new episode (one that arrives when no pause is running; 429s arriving during a
 * pause answer calls sent before it and are the same episode) also multiplies the rate factor by 0.7 (floor 0.2),
 * reconfigures both buckets at the lower rate ({@link TokensInheritanceStrategy#AS_IS}: no tokens are created) and
 * empties them, so that the calls after the pause start at the new pace instead of in a burst. From the end of the
 * pause, every 10 s without a 429 raises the factor by 0.1, up to 1.
 */
public final class CallPacer {

    /** How often a caller that may give up checks whether it should, while it waits. */
    static final long GIVE_UP_CHECK_MILLIS = 250;
    private static final BooleanSupplier NEVER = () -> false;
    static final long BACKOFF_BASE_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long BACKOFF_CAP_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** The backoff without a hint is shortened by up to this share, at random. */
    static final double JITTER = 0.2;
    static final double SLOWDOWN = 0.7;
    static final double MIN_FACTOR = 0.2;
    static final double CREEP_STEP = 0.1;
    static final long CREEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Longer Retry-After values are taken as this (a day: the run is better stopped and resumed). */
    static final Duration MAX_PAUSE = Duration.ofDays(1);

    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** How far under the configured rates a run's pacer stays (transit jitter at a strict server). */
    public static final double HEADROOM = 0.01;

    private final RateLimits limits;
    private final double headroom;
    private final TimeSource time;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final ReentrantLock lock = new ReentrantLock();

    /** Null when not limited. */
    private final Bucket submitBucket;
    private final Bucket callsBucket;

    // all guarded by lock
    private long pauseUntil;
    private int consecutive429;
    private long rateLimitedAnswers;
    private double factor = 1.0;
    /** When the factor may next rise by a step (only meaningful while factor < 1). */
    private long nextCreep;
    /** Submissions inside beforeSubmit, waiting for the pause or a token. */
    private int submitsWaiting;

    /**
     * The pacer a run uses (the system's clock and sleep, random jitter): {@link #HEADROOM} under the configured
     * rates, so that requests sent exactly on time
     * but delayed a little in transit still find a token at a strict server.
     */
    public CallPacer(RateLimits limits) {
        this(limits, TimeSource.SYSTEM, Sleeper.SYSTEM, () -> ThreadLocalRandom.current().nextDouble(), HEADROOM);
    }

    public CallPacer(RateLimits limits, TimeSource time, Sleeper sleeper) {
        this(limits, time, sleeper, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param random values in [0, 1) for the backoff jitter
     */
    public CallPacer(RateLimits limits, TimeSource time, Sleeper sleeper, DoubleSupplier random) {
        this(limits, time, sleeper, random, 0);
    }

    /** @param headroom how far under the configured rates to stay, e.g. 0.01 for 1 % */
    public CallPacer(RateLimits limits, TimeSource time, Sleeper sleeper, DoubleSupplier random, double headroom) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.time = Objects.requireNonNull(time, "time");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
        this.headroom = headroom;
        TimeMeter meter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return time.nanos();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        this.submitBucket = limits.limitsSubmits() ? newBucket(limits.submitsPerMinute(), meter) : null;
        this.callsBucket = limits.limitsCalls() ? newBucket(limits.callsPerMinute(), meter) : null;
        long now = time.nanos();
        this.pauseUntil = now;
        this.nextCreep = now;
    }

    public RateLimits limits() {
        return limits;
    }

    /** Waits for any pause, then for a submission token and a calls token (where limited), and takes them. */
    public void beforeSubmit() throws InterruptedException {
        acquire(true, NEVER);
    }

    /**
     * {@link #beforeSubmit()}, unless {@code giveUp} turns true while it waits (checked at least every
     * {@value #GIVE_UP_CHECK_MILLIS} ms): then it returns false without taking anything. A run that is told to stop
     * must not sit out a 429 pause of up to an hour first.
     */
    public boolean beforeSubmit(BooleanSupplier giveUp) throws InterruptedException {
        return acquire(true, giveUp);
    }

    /**
     * Takes a submission's tokens if they are there now, without waiting: 0 when taken, otherwise how long until
     * they may be (nothing taken). For a caller that chooses among several accounts, whichever has a turn first;
     * while it waits, it says so with {@link #submissionWaiting}, so that polls leave it its calls token.
     */
    public long trySubmitNow() {
        lock.lock();
        try {
            long now = time.nanos();
            creep(now);
            long wait = nanosUntilAllowed(true, now);
            if (wait == 0) take(true);
            return wait;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for any pause, then for a calls token (where limited) and takes it; gives way to submissions that wait
     * for a calls token.
     */
    public void beforeCall() throws InterruptedException {
        acquire(false, NEVER);
    }

    /** {@link #beforeCall()}, giving up (false, nothing taken) as {@link #beforeSubmit(BooleanSupplier)} does. */
    public boolean beforeCall(BooleanSupplier giveUp) throws InterruptedException {
        return acquire(false, giveUp);
    }

    /**
     * A call was answered 429: pauses every caller and lowers the rate (see the class comment).
     *
     * @param retryAfter what the server asked for (anything over a day counts as a day), or null when it did not say
     */
    public void rateLimited(Duration retryAfter) {
        lock.lock();
        try {
            long now = time.nanos();
            creep(now); // the factor as it stands now, not as it was at the last call
            rateLimitedAnswers++;
            boolean newEpisode = pauseUntil - now <= 0;
            if (newEpisode) {
                consecutive429++;
                factor = Math.max(MIN_FACTOR, round(factor * SLOWDOWN));
                reconfigure();
                drain(submitBucket);
                drain(callsBucket);
            }
            long wait = retryAfter != null ? Math.max(0, saturatedNanos(retryAfter)) : backoffNanos(consecutive429);
            long until = now + wait;
            if (until - pauseUntil > 0) {
                pauseUntil = until;
            }
            nextCreep = pauseUntil + CREEP_INTERVAL_NANOS;
        } finally {
            lock.unlock();
        }
    }

    /** A call went through: the next 429 without a hint starts the backoff again at 1 s. */
    public void succeeded() {
        lock.lock();
        try {
            consecutive429 = 0;
        } finally {
            lock.unlock();
        }
    }

    /** The share of the configured rates in force now, 0.2 to 1. */
    public double rateFactor() {
        lock.lock();
        try {
            creep(time.nanos());
            return factor;
        } finally {
            lock.unlock();
        }
    }

    /** How many 429 answers were reported. */
    public long rateLimitedAnswers() {
        lock.lock();
        try {
            return rateLimitedAnswers;
        } finally {
            lock.unlock();
        }
    }

    /** How long the current 429 pause still runs (zero when none). */
    public Duration pauseRemaining() {
        lock.lock();
        try {
            return Duration.ofNanos(Math.max(0, pauseUntil - time.nanos()));
        } finally {
            lock.unlock();
        }
    }

    private boolean acquire(boolean submit, BooleanSupplier giveUp) throws InterruptedException {
        if (submit) {
            changeSubmitsWaiting(1);
        }
        try {
            while (true) {
                long waitNanos;
                lock.lock();
                try {
                    long now = time.nanos();
                    creep(now);
                    waitNanos = nanosUntilAllowed(submit, now);
                    if (waitNanos == 0) {
                        take(submit);
                        return true;
                    }
                } finally {
                    lock.unlock();
                }
                if (giveUp == NEVER) {
                    sleeper.sleep(waitNanos);
                } else if (giveUp.getAsBoolean()) {
                    return false;
                } else {
                    sleeper.sleep(Math.min(waitNanos, TimeUnit.MILLISECONDS.toNanos(GIVE_UP_CHECK_MILLIS)));
                }
            }
        } finally {
            if (submit) {
                changeSubmitsWaiting(-1);
            }
        }
    }

    /** A submission waits for a turn here without {@link #beforeSubmit()} (true), or no longer does (false). */
    public void submissionWaiting(boolean waiting) {
        changeSubmitsWaiting(waiting ? 1 : -1);
    }

    private void changeSubmitsWaiting(int delta) {
        lock.lock();
        try {
            submitsWaiting += delta;
        } finally {
            lock.unlock();
        }
    }

    /**
     * 0 when the caller may go now; otherwise how long to sleep before checking again (one sleep covers both
     * buckets: the longer wait).
     */
    private long nanosUntilAllowed(boolean submit, long now) {
        long pause = pauseUntil - now;
        if (pause > 0) {
            return pause;
        }
        long submitWait = 0;
        if (submitBucket != null && (submit || submitsWaiting > 0)) {
            EstimationProbe probe = submitBucket.estimateAbilityToConsume(1);
            submitWait = probe.canBeConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
        }
        if (callsBucket == null) {
            return submit ? submitWait : 0;
        }
        EstimationProbe probe = callsBucket.estimateAbilityToConsume(1);
        long callsWait = probe.canBeConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
        if (submit) {
            return Math.max(submitWait, callsWait);
        }
        if (callsWait > 0) {
            return callsWait;
        }
        if (submitsWaiting > 0 && !leavesACallsTokenForTheNextSubmit(submitWait)) {
            // step aside: this calls token is the waiting submission's; come back after it has taken it
            return submitWait + callsIntervalNanos();
        }
        return 0;
    }

    /**
     * Whether a poll may take a calls token (one is there) while a submission waits: only when another token stays
     * for the submission, or the bucket refills one by the time the submission's own token is due.
     */
    private boolean leavesACallsTokenForTheNextSubmit(long submitWait) {
        return callsBucket.getAvailableTokens() >= 2 || submitWait >= callsIntervalNanos();
    }

    private void take(boolean submit) {
        // checked under the same lock just before: these cannot fail
        if (submit && submitBucket != null && !submitBucket.tryConsume(1)) {
            throw new IllegalStateException("submission token vanished under the lock");
        }
        if (callsBucket != null && !callsBucket.tryConsume(1)) {
            throw new IllegalStateException("calls token vanished under the lock");
        }
    }

    /** Every 10 s without a 429 (counted from the end of its pause) the factor rises by 0.1. */
    private void creep(long now) {
        if (factor >= 1.0) {
            return;
        }
        long since = now - nextCreep;
        if (since < 0) {
            return;
        }
        long steps = since / CREEP_INTERVAL_NANOS + 1;
        factor = Math.min(1.0, round(factor + CREEP_STEP * steps));
        nextCreep += steps * CREEP_INTERVAL_NANOS;
        reconfigure();
    }

    private long callsIntervalNanos() {
        return Math.max(1, Math.round(MINUTE_NANOS / (limits.callsPerMinute() * factor)));
    }

    private void reconfigure() {
        if (submitBucket != null) {
            submitBucket.replaceConfiguration(configuration(limits.submitsPerMinute()), TokensInheritanceStrategy.AS_IS);
        }
        if (callsBucket != null) {
            callsBucket.replaceConfiguration(configuration(limits.callsPerMinute()), TokensInheritanceStrategy.AS_IS);
        }
    }

    /** {@code perMinute * factor} per minute, as {@code perMinute} tokens over a stretched period (no rounding). */
    private BucketConfiguration configuration(int perMinute) {
        Duration period = Duration.ofNanos(Math.round(MINUTE_NANOS * (1 + headroom) / factor));
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(limits.burst()).refillGreedy(perMinute, period))
                .build();
    }

    private Bucket newBucket(int perMinute, TimeMeter meter) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(limits.burst()).refillGreedy(perMinute,
                        Duration.ofNanos(Math.round(MINUTE_NANOS * (1 + headroom)))))
                .withCustomTimePrecision(meter)
                .build();
    }

    private static void drain(Bucket bucket) {
        if (bucket != null) {
            bucket.tryConsumeAsMuchAsPossible();
        }
    }

    /** 1 s, 2 s, 4 s ... up to 60 s for the n-th consecutive 429, shortened by up to 20 % at random. */
    private long backoffNanos(int consecutive) {
        int doublings = Math.max(0, consecutive - 1);
        long backoff = doublings >= 6 ? BACKOFF_CAP_NANOS
                : Math.min(BACKOFF_CAP_NANOS, BACKOFF_BASE_NANOS << doublings);
        double r = Math.min(Math.max(random.getAsDouble(), 0.0), 1.0);
        return backoff - (long) (backoff * JITTER * r);
    }

    /** The duration in nanos, at most {@link #MAX_PAUSE} (only to keep the clock arithmetic from overflowing). */
    private static long saturatedNanos(Duration d) {
        return d.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE.toNanos() : d.toNanos();
    }

    private static double round(double f) {
        return Math.round(f * 1e6) / 1e6;
    }
}
