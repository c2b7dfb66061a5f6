package dev.zbatch.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.zbatch.run.RunPaths;
import dev.zbatch.config.ConfigException;
import dev.zbatch.ledger.LedgerDatabase;
import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.sandbox.SandboxStats;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench}: a synthetic job against the sandbox, whose own rate limit is set to the client's, measured.
 * Prints one line per figure; the last line is makespan / bound, where the bound is rows / rate + the p95
 * latency (no client can do better). See README.md, "Benchmark".
 */
final class BenchCommand {

    private final PrintStream out;
    private final PrintStream err;

    BenchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int execute(CommandLine commandLine) {
        BenchOptions options;
        try {
            options = BenchOptions.from(commandLine.properties());
        } catch (ConfigException e) {
            err.println("zbatch: " + e.getMessage());
            return ExitCode.USAGE;
        }
        try {
            return run(options);
        } catch (IOException e) {
            err.println("zbatch: bench: " + e);
            return ExitCode.UNEXPECTED;
        }
    }

    private int run(BenchOptions o) throws IOException {
        Path dir = Files.createTempDirectory("zbatch-bench-");
        Path input = writeInput(dir, o.rows());
        Path output = dir.resolve("out");
        Measurement measurement = new Measurement();
        int code;
        List<SandboxStats> stats = new ArrayList<>();
        List<SandboxServer> sandboxes = new ArrayList<>();
        try {
            for (int rate : o.accountRates()) {
                sandboxes.add(SandboxServer.start(SandboxSettings.defaults()
                        .withLatency(o.minLatency(), o.maxLatency())
                        .withSubmitsPerMinute(rate)
                        .withRequireApiKey(true)));
            }
            List<String> args = new ArrayList<>(List.of("run", "--input", input.toString(),
                    "--out", output.toString(), "--name", "bench",
                    "--provider", "segmind",
                    "--zbatch.providers.segmind.base-url=" + sandboxes.get(0).baseUrl(),
                    "--zbatch.providers.segmind.api-key=bench",
                    "--zbatch.providers.segmind.submits-per-minute=" + o.ratePerMinute(),
                    "--zbatch.providers.segmind.burst=1",
                    "--zbatch.defaults.width=" + o.size(), "--zbatch.defaults.height=" + o.size(),
                    "--zbatch.defaults.image_format=" + o.format()));
            if (o.accountRates().size() > 1) {
                for (int i = 0; i < sandboxes.size(); i++) {
                    args.add("--zbatch.accounts." + accountName(i) + ".base-url=" + sandboxes.get(i).baseUrl());
                    args.add("--zbatch.accounts." + accountName(i) + ".submits-per-minute="
                            + o.accountRates().get(i));
                }
            }
            if (o.window() != null) args.add("--zbatch.submit.window=" + o.window());
            if (o.stopAfter() != null) args.add("--zbatch.job.max-duration=" + o.stopAfter().toMillis() + "ms");
            PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
            code = new RunCommand(quiet, err, null, measurement)
                    .execute(CommandLine.parse(args));
            for (SandboxServer sandbox : sandboxes) stats.add(sandbox.stats());
        } finally {
            for (SandboxServer sandbox : sandboxes) sandbox.close();
        }
        report(o, output, stats, measurement);
        if (!o.keep()) deleteQuietly(dir);
        else out.println("kept: " + dir);
        return code == ExitCode.STOPPED && o.stopAfter() != null ? ExitCode.OK : code;
    }

    /** The sandboxes' counts, all together. */
    private record Calls(long submissions, long statusPolls, long resultFetches, long imageDownloads,
                         long rateLimited) {
        static Calls of(List<SandboxStats> each) {
            return new Calls(each.stream().mapToLong(SandboxStats::submissions).sum(),
                    each.stream().mapToLong(SandboxStats::statusPolls).sum(),
                    each.stream().mapToLong(SandboxStats::resultFetches).sum(),
                    each.stream().mapToLong(SandboxStats::imageDownloads).sum(),
                    each.stream().mapToLong(SandboxStats::rateLimited).sum());
        }
    }

    private static String accountName(int i) {
        return "account-" + (i + 1);
    }

    private void report(BenchOptions o, Path output, List<SandboxStats> each, Measurement m) {
        Calls stats = Calls.of(each);
        Timing timing = timing(RunPaths.defaultLedgerDir(output));
        double rate = o.ratePerMinute() / 60.0;
        double p95 = o.minLatency().toMillis() / 1000.0
                + 0.95 * (o.maxLatency().toMillis() - o.minLatency().toMillis()) / 1000.0;
        double bound = timing.completed() / rate + p95;
        double makespan = timing.makespanSeconds();
        long images = timing.completed();
        long calls = stats.submissions() + stats.statusPolls() + stats.resultFetches() + stats.imageDownloads();
        line("rows", Long.toString(o.rows()));
        line("images", Long.toString(images));
        line("rate", o.ratePerMinute() + "/min" + (each.size() < 2 ? "" : " (" + o.accountRates().stream()
                .map(r -> r + "/min").collect(java.util.stream.Collectors.joining(" + ")) + ")"));
        line("latency", String.format(Locale.ROOT, "%.2f-%.2f s (p95 %.2f s)", o.minLatency().toMillis() / 1000.0,
                o.maxLatency().toMillis() / 1000.0, p95));
        line("first submission", String.format(Locale.ROOT, "%.2f s after the job started",
                timing.firstSubmitSeconds(m.jobStart)));
        line("makespan", String.format(Locale.ROOT, "%.1f s (first row read to last image written)", makespan));
        line("bound", String.format(Locale.ROOT, "%.1f s (%d images / %d per min + p95 latency)", bound, images,
                o.ratePerMinute()));
        line("429 answers", Long.toString(stats.rateLimited()));
        if (each.size() > 1) {
            double minutes = makespan / 60;
            for (int i = 0; i < each.size(); i++) {
                line(accountName(i), String.format(Locale.ROOT, "%d submissions at a limit of %d/min (%.1f/min "
                                + "over the makespan), %d answered 429", each.get(i).submissions(),
                        o.accountRates().get(i), minutes == 0 ? 0 : each.get(i).submissions() / minutes,
                        each.get(i).rateLimited()));
            }
        }
        line("calls per image", images == 0 ? "n/a" : String.format(Locale.ROOT,
                "%.3f (submit %.3f, status %.3f, result %.3f, download %.3f)", (double) calls / images,
                (double) stats.submissions() / images, (double) stats.statusPolls() / images,
                (double) stats.resultFetches() / images, (double) stats.imageDownloads() / images));
        line("cpu per 1000 images", images == 0 ? "n/a" : String.format(Locale.ROOT,
                "%.2f s (process, sandbox included; %.1f s over the job)", m.cpuSeconds() * 1000 / images,
                m.cpuSeconds()));
        line("cpu by part", m.byPart.describe(m.cpuSeconds()));
        line("peak heap", String.format(Locale.ROOT, "%d MB used (max %d MB)", m.peakHeap / (1 << 20),
                Runtime.getRuntime().maxMemory() / (1 << 20)));
        line("ratio", images == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", makespan / bound));
    }

    private void line(String figure, String value) {
        out.println(figure + ": " + value);
    }

    private static Path writeInput(Path dir, long rows) throws IOException {
        Path input = dir.resolve("bench.csv");
        try (BufferedWriter w = Files.newBufferedWriter(input)) {
            w.write("id,prompt\n");
            for (long i = 1; i <= rows; i++) {
                w.write("b" + i + ",bench prompt number " + i + ": a lighthouse on a cliff at dusk in oil paint\n");
            }
        }
        return input;
    }

    /** When rows were entered, first sent and last finished, from the ledger. */
    private record Timing(OffsetDateTime firstCreated, OffsetDateTime firstSubmitted, OffsetDateTime lastFinished,
                          long completed) {
        double makespanSeconds() {
            if (firstCreated == null || lastFinished == null) return 0;
            return Duration.between(firstCreated, lastFinished).toMillis() / 1000.0;
        }

        double firstSubmitSeconds(long jobStartMillis) {
            if (firstSubmitted == null) return Double.NaN;
            return (firstSubmitted.toInstant().toEpochMilli() - jobStartMillis) / 1000.0;
        }
    }

    private static Timing timing(Path ledgerDir) {
        try (HikariDataSource dataSource = LedgerDatabase.open(ledgerDir)) {
            Map<String, Object> row = new JdbcTemplate(dataSource).queryForMap("SELECT MIN(created_at) c, "
                    + "MIN(submitted_at) s, MAX(finished_at) f, SUM(CASE WHEN state = 'COMPLETED' THEN 1 ELSE 0 END) n "
                    + "FROM zb_row");
            return new Timing(offset(row.get("c")), offset(row.get("s")), offset(row.get("f")),
                    row.get("n") == null ? 0 : ((Number) row.get("n")).longValue());
        }
    }

    private static OffsetDateTime offset(Object value) {
        if (value == null) return null;
        if (value instanceof OffsetDateTime o) return o;
        if (value instanceof Timestamp t) return t.toInstant().atOffset(java.time.ZoneOffset.UTC);
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }

    static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder: the system cleans it eventually
        }
    }

    /** CPU time and heap between the job's start and end, in this process. */
    private static final class Measurement implements RunCommand.JobObserver {
        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private final HeapPeak heap = new HeapPeak();
        private long peakHeap;
        private volatile boolean running;
        private long cpuStart;
        private long cpuEnd;
        private long jobStart;
        private Thread sampler;
        private final CpuByPart byPart = new CpuByPart();

        @Override
        public void jobStarting() {
            jobStart = System.currentTimeMillis();
            byPart.start();
            cpuStart = os.getProcessCpuTime();
            heap.start();
            running = true;
            sampler = new Thread(() -> {
                while (running) {
                    byPart.sample();
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "zbatch-bench-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        @Override
        public void jobEnded() {
            cpuEnd = os.getProcessCpuTime();
            peakHeap = heap.stop();
            byPart.stop();
            running = false;
        }

        double cpuSeconds() {
            return (cpuEnd - cpuStart) / 1e9;
        }
    }
}
