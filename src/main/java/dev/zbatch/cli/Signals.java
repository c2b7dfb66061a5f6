package dev.zbatch.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C and SIGTERM: the JVM runs shutdown hooks and then exits with 130/143. zbatch's hook instead tells the
 * run to stop, waits for the main thread to leave the ledger consistent and print its summary, and then ends
 * the process with the main thread's exit code (4: resumable). Spring's own shutdown hook is off, so the
 * database stays open until the job has stopped.
 */
final class Signals {

    private static final long GRACE_SECONDS = 90;

    private final AtomicBoolean signalled = new AtomicBoolean();
    private final AtomicBoolean exiting = new AtomicBoolean();
    private final CountDownLatch mainDone = new CountDownLatch(1);
    private final AtomicInteger exitCode = new AtomicInteger(ExitCode.STOPPED);
    private volatile Runnable onSignal = () -> { };

    Signals install() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::onShutdown, "zbatch-signal"));
        return this;
    }

    /** What to do when a signal arrives (set once the run exists). */
    void onSignal(Runnable action) {
        this.onSignal = action;
        if (signalled.get()) action.run(); // the signal came while the run was being set up
    }

    /** Called by the main thread when it is done: exits, or lets the signal hook exit with this code. */
    void exit(int code) {
        exitCode.set(code);
        exiting.set(true);
        mainDone.countDown();
        if (!signalled.get()) System.exit(code);
    }

    private void onShutdown() {
        if (exiting.get() || !signalled.compareAndSet(false, true)) return; // a normal exit
        System.err.println("zbatch: stopping: recording what is under way ...");
        onSignal.run();
        try {
            if (!mainDone.await(GRACE_SECONDS, TimeUnit.SECONDS)) {
                System.err.println("zbatch: did not stop within " + GRACE_SECONDS + " s; exiting anyway "
                        + "(the next run recovers)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(exitCode.get());
    }
}
