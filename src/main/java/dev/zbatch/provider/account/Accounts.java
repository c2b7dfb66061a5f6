package dev.zbatch.provider.account;

import dev.zbatch.provider.pacing.CallCounts;
import dev.zbatch.provider.pacing.PacedProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The accounts of a run, and which one takes the next submission: of those in rotation with a turn free now, the
 * highest priority, then the cheapest, then the one that waited longest. Each account keeps to its own limits, so
 * a 429 at one pauses only that one. Safe for many threads.
 */
public final class Accounts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Accounts.class);
    private static final long MAX_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** How long a submission waits for an account that is probing its key to hear back. */
    private static final long PROBE_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Map<String, Account> byName = new LinkedHashMap<>();
    private final Comparator<Ranked> preference;
    private volatile BiConsumer<String, String> onTakenOut = (name, reason) -> { };

    /** An account with its last turn as it stood when the ranking began (others change it meanwhile). */
    private record Ranked(Account account, long lastTurnNanos) {
    }

    /** @param runPrice USD per image for accounts that name no price of their own (to rank them by price) */
    public Accounts(List<Account> accounts, BigDecimal runPrice) {
        if (accounts.isEmpty()) throw new IllegalArgumentException("a run needs at least one account");
        for (Account account : accounts) {
            if (byName.putIfAbsent(account.name(), account) != null) {
                throw new IllegalArgumentException("two accounts are named " + account.name());
            }
        }
        Comparator<Ranked> byPriority = Comparator.comparingInt(r -> -r.account().priority());
        preference = byPriority.thenComparing(r -> r.account().pricePerImage(runPrice))
                .thenComparingLong(Ranked::lastTurnNanos);
    }

    /** Every account, in rotation or not, in the order the job spec lists them. */
    public List<Account> all() {
        return List.copyOf(byName.values());
    }

    /** The account of this name; for a row sent before accounts had names, the first. */
    public Account named(String name) {
        Account account = name == null ? null : byName.get(name);
        return account != null ? account : byName.values().iterator().next();
    }

    /** Whether the run has more than one account (messages then name the account). */
    public boolean several() {
        return byName.size() > 1;
    }

    public boolean anyInRotation() {
        return byName.values().stream().anyMatch(Account::inRotation);
    }

    /**
     * Waits for a turn at the best account that has one; null, holding nothing, once {@code giveUp} says so. While
     * no account is in rotation it waits too: whoever took the last one out stops the run.
     */
    public AccountTurn awaitTurn(BooleanSupplier giveUp) throws InterruptedException {
        // the accounts it may take a turn at know a submission waits: their polls leave it its calls token
        List<Account> waitingAt = inPreferenceOrder();
        for (Account account : waitingAt) account.provider().pacer().submissionWaiting(true);
        try {
            while (!giveUp.getAsBoolean()) {
                long wait = MAX_NAP_NANOS;
                for (Account account : inPreferenceOrder()) {
                    Account.Probe probe = account.tryProbe();
                    if (probe == Account.Probe.WAIT) {
                        wait = Math.min(wait, PROBE_NAP_NANOS);
                        continue;
                    }
                    PacedProvider.TurnNow now = account.provider().tryTurnToSubmit();
                    if (now.turn() != null) {
                        account.tookTurn(System.nanoTime());
                        return new AccountTurn(account, now.turn(), probe == Account.Probe.PROBE);
                    }
                    if (probe == Account.Probe.PROBE) account.endProbe();
                    wait = Math.min(wait, now.nanosUntilNext());
                }
                TimeUnit.NANOSECONDS.sleep(Math.max(1, wait));
            }
            return null;
        } finally {
            for (Account account : waitingAt) account.provider().pacer().submissionWaiting(false);
        }
    }

    private List<Account> inPreferenceOrder() {
        List<Ranked> in = new ArrayList<>();
        for (Account account : byName.values()) {
            if (account.inRotation()) in.add(new Ranked(account, account.lastTurnNanos()));
        }
        in.sort(preference);
        return in.stream().map(Ranked::account).toList();
    }

    /** Told the name of each account taken out of rotation, and why (to record it for status). */
    public void whenTakenOut(BiConsumer<String, String> listener) {
        onTakenOut = listener;
    }

    /**
     * Takes {@code account} out of rotation (the first reason stays) and says so when others go on; returns
     * whether any account is still in rotation.
     */
    public synchronized boolean takeOut(Account account, String reason) {
        if (account.inRotation()) {
            account.takeOut(reason);
            onTakenOut.accept(account.name(), reason);
            List<String> others = byName.values().stream().filter(Account::inRotation).map(Account::name).toList();
            if (several()) {
                log.warn("account {} is out of rotation: {}; {}", account.name(), reason, others.isEmpty()
                        ? "no account is left to send to"
                        : "its requests in flight are still collected, and " + String.join(", ", others)
                                + (others.size() == 1 ? " takes" : " take") + " the rest");
            }
        }
        return anyInRotation();
    }

    /**
     * Why the run cannot go on now that its last account is out: {@code lastReason} for a run of one account, else
     * "no account can take work: main: out of credits; spare: key refused".
     */
    public String whyNoneIsLeft(String lastReason) {
        if (!several()) return lastReason;
        return "no account can take work: " + byName.values().stream().filter(a -> !a.inRotation())
                .map(a -> a.name() + ": " + a.takenOutBecause()).collect(Collectors.joining("; "));
    }

    /** The calls made so far through the rate limiters, all accounts together. */
    public CallCounts counts() {
        long submits = 0, polls = 0, downloads = 0, rateLimited = 0;
        for (Account account : byName.values()) {
            CallCounts c = account.provider().counts();
            submits += c.submits();
            polls += c.polls();
            downloads += c.downloads();
            rateLimited += c.rateLimited();
        }
        return new CallCounts(submits, polls, downloads, rateLimited);
    }

    @Override
    public void close() {
        for (Account account : byName.values()) account.provider().close();
    }
}
