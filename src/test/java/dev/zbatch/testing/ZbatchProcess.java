package dev.zbatch.testing;

import dev.zbatch.sandbox.SandboxServer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/** A real zbatch process, as a user or cron starts it, that a test can SIGKILL. */
public final class ZbatchProcess {

    private final Process process;
    private final Path log;

    private ZbatchProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ZbatchProcess start(Path workDir, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "dev.zbatch.cli.Main"));
        command.addAll(List.of(args));
        Path log = workDir.resolve("process-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new ZbatchProcess(builder.start(), log);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as Ctrl-C or a service manager would stop it; returns the exit code. */
    public int terminate(long seconds) throws InterruptedException {
        process.destroy();
        return waitFor(seconds);
    }

    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("zbatch did not finish within " + seconds + " s; output: " + output());
        }
        return process.exitValue();
    }

    /** Waits until {@code sandbox} has received at least {@code submissions} while this process runs. */
    public void awaitSubmissions(SandboxServer sandbox, long submissions) throws InterruptedException {
        await(sandbox, s -> s.stats().submissions(), submissions);
    }

    /** Waits until {@code counter} of {@code sandbox} reaches {@code atLeast} while this process runs. */
    public void await(SandboxServer sandbox, ToLongFunction<SandboxServer> counter, long atLeast)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (counter.applyAsLong(sandbox) < atLeast) {
            if (!isAlive()) throw new AssertionError("zbatch ended early: " + output());
            if (System.nanoTime() > deadline) throw new AssertionError("no progress: " + output());
            Thread.sleep(20);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return java.nio.file.Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
