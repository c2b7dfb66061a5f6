package dev.zbatch.provider.pacing;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Virtual time for several real threads: a thread that sleeps waits until the virtual clock reaches its deadline;
 * the clock jumps to the next deadline (or scheduled event) only once every thread is asleep or done. Time never
 * moves while a thread runs, so what a thread reads after a pacer call is exactly when it was let through.
 */
final class SimScheduler implements TimeSource, Sleeper {

    interface Task {
        void run() throws Exception;
    }

    private static final class Waiter {
        final long deadline;
        boolean woken;

        Waiter(long deadline) {
            this.deadline = deadline;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Waiter> sleepers = new ArrayList<>();
    private final TreeMap<Long, List<Runnable>> events = new TreeMap<>();
    private long now;
    private int running;

    @Override
    public long nanos() {
        lock.lock();
        try {
            return now;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        if (nanos <= 0) {
            return;
        }
        lock.lock();
        try {
            Waiter w = new Waiter(now + nanos);
            sleepers.add(w);
            changed.signalAll();
            try {
                while (!w.woken) {
                    changed.await();
                }
            } finally {
                sleepers.remove(w);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} on the driver thread when the virtual clock reaches {@code atNanos}. */
    void at(long atNanos, Runnable action) {
        lock.lock();
        try {
            events.computeIfAbsent(atNanos, k -> new ArrayList<>()).add(action);
        } finally {
            lock.unlock();
        }
    }

    /** Runs the tasks on their own threads to the end, in virtual time; fails after 20 s of real time. */
    void run(List<Task> tasks) throws Exception {
        List<Throwable> errors = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        lock.lock();
        try {
            running = tasks.size();
        } finally {
            lock.unlock();
        }
        for (Task task : tasks) {
            Thread t = new Thread(() -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                } finally {
                    lock.lock();
                    try {
                        running--;
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            });
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            List<Runnable> due = null;
            lock.lock();
            try {
                if (running == 0) {
                    break;
                }
                if (sleepers.stream().filter(w -> !w.woken).count() < running) {
                    long left = giveUp - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("simulation stuck at virtual " + now + " ns");
                    }
                    changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
                    continue;
                }
                long next = sleepers.stream().filter(w -> !w.woken).mapToLong(w -> w.deadline).min()
                        .orElse(Long.MAX_VALUE);
                if (!events.isEmpty() && events.firstKey() <= next) {
                    var first = events.pollFirstEntry();
                    now = Math.max(now, first.getKey());
                    due = first.getValue();
                } else {
                    now = Math.max(now, next);
                    for (Waiter w : sleepers) {
                        if (w.deadline <= now) {
                            w.woken = true;
                        }
                    }
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
            if (due != null) {
                due.forEach(Runnable::run); // every task thread is asleep: nobody holds the pacer's lock
            }
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(5));
        }
        if (!errors.isEmpty()) {
            AssertionError failure = new AssertionError("a task failed", errors.get(0));
            errors.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }
}
