package dev.zbatch.provider.account;

import dev.zbatch.provider.pacing.PacedProvider;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.concurrent.Semaphore;

/**
 * One account a run sends to: an API key at a provider, paced at its own limits. It is in rotation until it is
 * {@linkplain Accounts#takeOut taken out} (its key refused, its credits gone, or it keeps failing); its requests in
 * flight are still collected from it after that.
 */
public final class Account {

    private final String name;
    private final PacedProvider provider;
    private final String keyVariable;
    private final BigDecimal pricePerImage;
    private final int priority;
    /** Until the account has accepted one submission, one goes at a time: a wrong key costs one. */
    private final Semaphore probe = new Semaphore(1);
    private volatile boolean accepted;
    private volatile String takenOut;
    private volatile long lastTurnNanos = Long.MIN_VALUE;

    /**
     * @param keyVariable   the environment variable its key comes from (named in messages, never its value), or
     *                      null when it needs none (the sandbox)
     * @param pricePerImage what an image costs here, or null for the run's price
     */
    public Account(String name, PacedProvider provider, String keyVariable, BigDecimal pricePerImage, int priority) {
        this.name = Objects.requireNonNull(name, "name");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.keyVariable = keyVariable;
        this.pricePerImage = pricePerImage;
        this.priority = priority;
    }

    public String name() {
        return name;
    }

    public PacedProvider provider() {
        return provider;
    }

    public String keyVariable() {
        return keyVariable;
    }

    /** USD per image here, or {@code runPrice} when the account names none. */
    public BigDecimal pricePerImage(BigDecimal runPrice) {
        return pricePerImage != null ? pricePerImage : runPrice;
    }

    int priority() {
        return priority;
    }

    public boolean inRotation() {
        return takenOut == null;
    }

    /** Why it was taken out of rotation, or null while it is in. */
    public String takenOutBecause() {
        return takenOut;
    }

    void takeOut(String reason) {
        takenOut = reason;
    }

    /** The provider accepted a submission from this account: its key works, submissions need not probe. */
    public void accepted() {
        accepted = true;
    }

    /** May a submission go now as far as probing goes: GO, PROBE (it holds the probe) or WAIT (another probes). */
    Probe tryProbe() {
        if (accepted) return Probe.GO;
        if (!probe.tryAcquire()) return Probe.WAIT;
        if (!accepted) return Probe.PROBE;
        probe.release();
        return Probe.GO;
    }

    enum Probe { GO, PROBE, WAIT }

    void endProbe() {
        probe.release();
    }

    long lastTurnNanos() {
        return lastTurnNanos;
    }

    void tookTurn(long nanos) {
        lastTurnNanos = nanos;
    }

    @Override
    public String toString() {
        return name;
    }
}
