package dev.zbatch.cli;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a bench run's CPU went: thread CPU time between {@link #start()} and {@link #stop()}, summed by the part of
 * zbatch the threads belong to (known by their names), plus the JIT compiler's and the garbage collector's time
 * from their MXBeans (elapsed time, close to their CPU on this workload). Threads that end before the run does
 * (the collector's workers do) count with what they had used when last {@link #sample() sampled}; what the parts
 * do not add up to is shown as "other".
 */
final class CpuByPart {

    /** Thread-name prefixes and the part they do, in the order they are printed. */
    private static final List<Map.Entry<String, String>> PARTS = List.of(
            Map.entry("zbatch-collect-", "collect"),
            Map.entry("zbatch-submit-", "submit"),
            Map.entry("zbatch-sandbox-", "sandbox"),
            Map.entry("zbatch-step-", "batch steps"),
            Map.entry("zbatch-progress", "progress"));

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    private final Map<Long, Long> startCpu = new ConcurrentHashMap<>();
    private final Map<Long, Long> lastCpu = new ConcurrentHashMap<>();
    private final Map<Long, String> partOfThread = new ConcurrentHashMap<>();
    private final Map<String, Long> nanosByPart = new LinkedHashMap<>();
    private long jitStartMillis;
    private long gcStartMillis;
    private long jitMillis;
    private long gcMillis;

    void start() {
        for (long id : threads.getAllThreadIds()) startCpu.put(id, Math.max(0, threads.getThreadCpuTime(id)));
        jitStartMillis = jitMillis();
        gcStartMillis = gcMillis();
    }

    /** Notes every live thread's CPU so far; call it every few hundred milliseconds while the run goes on. */
    void sample() {
        for (long id : threads.getAllThreadIds()) {
            String part = partOfThread.computeIfAbsent(id, this::partOfThreadId);
            long cpu = threads.getThreadCpuTime(id);
            if (!part.isEmpty() && cpu >= 0) lastCpu.put(id, cpu);
        }
    }

    void stop() {
        sample();
        jitMillis = jitMillis() - jitStartMillis;
        gcMillis = gcMillis() - gcStartMillis;
        for (Map.Entry<String, String> part : PARTS) nanosByPart.putIfAbsent(part.getValue(), 0L);
        lastCpu.forEach((id, cpu) -> nanosByPart.merge(partOfThread.get(id), cpu - startCpu.getOrDefault(id, 0L),
                Long::sum));
    }

    private String partOfThreadId(long id) {
        var info = threads.getThreadInfo(id);
        String part = info == null ? null : partOf(info.getThreadName());
        return part == null ? "" : part;
    }

    /** E.g. "collect 6.6 s, submit 3.9 s, sandbox 5.0 s, …, JIT 1.1 s, GC 0.4 s, other 1.2 s". */
    String describe(double processCpuSeconds) {
        StringJoiner line = new StringJoiner(", ");
        double accounted = 0;
        for (Map.Entry<String, Long> part : nanosByPart.entrySet()) {
            double seconds = part.getValue() / 1e9;
            accounted += seconds;
            line.add(String.format(Locale.ROOT, "%s %.1f s", part.getKey(), seconds));
        }
        accounted += (jitMillis + gcMillis) / 1000.0;
        line.add(String.format(Locale.ROOT, "JIT %.1f s", jitMillis / 1000.0));
        line.add(String.format(Locale.ROOT, "GC %.1f s", gcMillis / 1000.0));
        line.add(String.format(Locale.ROOT, "other %.1f s", Math.max(0, processCpuSeconds - accounted)));
        return line.toString();
    }

    static String partOf(String threadName) {
        for (Map.Entry<String, String> part : PARTS) {
            if (threadName.startsWith(part.getKey())) return part.getValue();
        }
        return null;
    }

    private long jitMillis() {
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
