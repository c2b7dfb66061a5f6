package dev.zbatch.provider.http;

import org.apache.hc.core5.concurrent.Cancellable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Cancels the exchanges that outlive their deadline. Exchanges are registered in a concurrent set, and one daemon
 * thread looks them over every tick, so <b>a deadline fires up to one tick late</b>. The thread sleeps after a tick
 * in which no exchange started and none is left under way; the next exchange wakes it. So while calls keep coming,
 * even short ones with gaps between them, starting one wakes no thread (a timer task per exchange, or waking the
 * watchdog whenever the count under way left 0, woke a thread on nearly every call).
 */
final class DeadlineWatchdog {

    private static final Logger log = LoggerFactory.getLogger(DeadlineWatchdog.class);

    /** An exchange under way: what to cancel, on behalf of whom, and when it is overdue. */
    static final class Exchange {
        private final Object owner;
        private final Cancellable request;
        private final long deadlineNanos;

        private Exchange(Object owner, Cancellable request, long deadlineNanos) {
            this.owner = owner;
            this.request = request;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private final Set<Exchange> underWay = ConcurrentHashMap.newKeySet();
    /** Exchanges started and not yet done, overdue ones included. */
    private final AtomicInteger active = new AtomicInteger();
    /** Whether an exchange started since the thread last ticked. */
    private volatile boolean startedSinceTick;
    /** Set while the thread sleeps until the next exchange. */
    private volatile boolean asleep;
    private final long tickNanos;
    private final Thread thread;

    DeadlineWatchdog(String threadName, Duration tick) {
        this.tickNanos = tick.toNanos();
        this.thread = new Thread(this::watch, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Registers an exchange, which {@link #done} must end; it is cancelled if still under way at its deadline. */
    Exchange start(Object owner, Cancellable request, Duration deadline) {
        Exchange exchange = new Exchange(owner, request, System.nanoTime() + deadline.toNanos());
        underWay.add(exchange);
        active.incrementAndGet();
        if (!startedSinceTick) { // read first: most starts find it set and need not write
            startedSinceTick = true;
        }
        if (asleep) {
            LockSupport.unpark(thread);
        }
        return exchange;
    }

    /** Ends an exchange from {@link #start}, once. */
    void done(Exchange exchange) {
        underWay.remove(exchange);
        active.decrementAndGet();
    }

    /** Cancels the owner's exchanges under way now (they stay registered until done). */
    void cancelAll(Object owner) {
        for (Exchange exchange : underWay) {
            if (exchange.owner == owner) {
                cancel(exchange);
            }
        }
    }

    /** Whether the thread sleeps until the next exchange starts. */
    boolean isAsleep() {
        return thread.getState() == Thread.State.WAITING;
    }

    private void watch() {
        while (true) {
            if (startedSinceTick || active.get() > 0) {
                startedSinceTick = false;
                LockSupport.parkNanos(this, tickNanos);
                cancelOverdue(System.nanoTime());
            } else {
                asleep = true;
                // checked again once asleep is set: a start this check misses sees asleep and unparks the thread
                // (an unpark that comes before park makes park return at once)
                if (active.get() == 0) {
                    LockSupport.park(this);
                }
                asleep = false;
            }
        }
    }

    private void cancelOverdue(long now) {
        for (Exchange exchange : underWay) {
            if (now - exchange.deadlineNanos >= 0 && underWay.remove(exchange)) {
                cancel(exchange);
            }
        }
    }

    private static void cancel(Exchange exchange) {
        try {
            exchange.request.cancel();
        } catch (RuntimeException e) { // the watchdog must outlive any one exchange
            log.warn("cancelling an HTTP exchange failed", e);
        }
    }
}
