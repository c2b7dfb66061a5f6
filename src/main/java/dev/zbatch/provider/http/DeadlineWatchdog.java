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
 * thread looks them over every tick while any is under way and sleeps while none is, so <b>a deadline fires up to
 * one tick late</b>. Registering costs no wake-up while the thread is ticking, unlike a timer task per exchange,
 * which woke a timer thread on every call.
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
    /** Exchanges started and not yet done (overdue ones included): the thread ticks while this is above 0. */
    private final AtomicInteger active = new AtomicInteger();
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
        if (active.getAndIncrement() == 0) {
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
            if (active.get() == 0) {
                // the start that takes the count off 0 unparks this thread, and if that came first, park returns at once
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, tickNanos);
                cancelOverdue(System.nanoTime());
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
