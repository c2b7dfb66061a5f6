package dev.zbatch.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.zbatch.config.ZbatchProperties;
import dev.zbatch.input.InputFiles;
import dev.zbatch.input.InputRow;
import dev.zbatch.input.InputRows;
import dev.zbatch.input.RowSource;
import dev.zbatch.run.RunPaths;
import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.LedgerDatabase;
import dev.zbatch.ledger.NewRow;
import dev.zbatch.output.FileNames;
import dev.zbatch.output.NameTemplate;
import dev.zbatch.output.Reports;
import dev.zbatch.provider.registry.ProviderKind;
import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.sandbox.SandboxStats;
import dev.zbatch.reconcile.LedgerEntries;
import dev.zbatch.reconcile.Reconciler;
import dev.zbatch.request.RequestBuilder;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code bench-sync [--rows 1000000] [--changed 1000] [--keep]}: what following a living input costs. It makes a
 * finished run of {@code rows} rows (entered by the run's own reconciliation, then recorded as completed, one
 * image each, without generating them: the re-run does not open them; and its manifests), then runs zbatch on the same input (wall
 * time, peak heap, provider calls: the goal is none), then on the input with {@code changed} rows edited at random
 * places (requests sent: exactly that many; time to the first). Run it with the heap a user would have, e.g.
 * {@code ZBATCH_JAVA_OPTS=-Xmx256m ./run.sh bench-sync}.
 */
final class SyncBenchCommand {

    private static final int SEED_BATCH = 5000;

    private final PrintStream out;
    private final PrintStream err;

    SyncBenchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int execute(CommandLine commandLine) {
        long rows = Long.parseLong(commandLine.properties().getOrDefault("bench.rows", "1000000"));
        int changed = Integer.parseInt(commandLine.properties().getOrDefault("bench.changed", "1000"));
        boolean keep = Boolean.parseBoolean(commandLine.properties().getOrDefault("bench.keep", "false"));
        if (rows < 1 || changed < 0 || changed > rows) {
            err.println("zbatch: bench-sync: --rows must be positive and --changed between 0 and --rows");
            return ExitCode.USAGE;
        }
        try {
            return run(rows, changed, keep);
        } catch (IOException e) {
            err.println("zbatch: bench-sync: " + e);
            return ExitCode.UNEXPECTED;
        }
    }

    private int run(long rows, int changed, boolean keep) throws IOException {
        Path dir = Files.createTempDirectory("zbatch-bench-sync-");
        Path input = dir.resolve("products.csv");
        write(input, rows, new BitSet());
        Path output = dir.resolve("out");
        try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults()
                .withLatency(Duration.ofMillis(20), Duration.ofMillis(100)))) {
            List<String> args = List.of("run", "--input", input.toString(), "--out", output.toString(),
                    "--name", "bench-sync", "--provider", "segmind",
                    "--zbatch.providers.segmind.base-url=" + sandbox.baseUrl(),
                    "--zbatch.providers.segmind.api-key=bench", "--zbatch.providers.segmind.submits-per-minute=0",
                    "--zbatch.submit.window=64", "--zbatch.collect.first-poll-delay=100ms",
                    "--zbatch.defaults.width=256", "--zbatch.defaults.height=256",
                    "--zbatch.defaults.image_format=jpeg", "--zbatch.progress.mode=off");
            CommandLine commandLine = CommandLine.parse(args);
            long seedStart = System.nanoTime();
            seedFinishedRun(SpringContexts.properties(commandLine));
            line("rows", Long.toString(rows));
            line("finished run made", seconds(System.nanoTime() - seedStart) + " (reconciled, recorded completed)");

            Run unchanged = run(commandLine, sandbox);
            line("unchanged re-run", unchanged.describe() + ", exit " + unchanged.code);

            BitSet edited = pick(rows, changed);
            write(input, rows, edited);
            Run delta = run(commandLine, sandbox);
            line(changed + " rows changed", delta.describe() + ", exit " + delta.code);
            line("first request", delta.firstSubmission < 0 ? "none"
                    : seconds(delta.firstSubmission) + " after the command started");
            boolean exact = unchanged.calls == 0 && delta.submissions == changed;
            line("verdict", exact ? "0 calls for the unchanged input; exactly " + changed + " requests for the "
                    + changed + " changed rows" : "NOT AS EXPECTED (see above)");
            return exact ? ExitCode.OK : ExitCode.UNEXPECTED;
        } finally {
            if (keep) out.println("kept: " + dir);
            else BenchCommand.deleteQuietly(dir);
        }
    }

    /** The run as if it had made every image: the run's own reconciliation, then every row recorded completed. */
    private static void seedFinishedRun(ZbatchProperties properties) {
        RunPaths paths = RunPaths.from(properties);
        RequestBuilder requests = RequestBuilder.of(ProviderKind.spec(properties), properties);
        LedgerEntries entries = new LedgerEntries(properties.provider().id(), properties.model(),
                plan -> FileNames.sanitize(NameTemplate.defaultFor(plan.id() != null).render(plan.row().rowNo(),
                        plan.row().line(), plan.id(), plan.prompt(), plan.row().fields())));
        try (HikariDataSource dataSource = LedgerDatabase.open(paths.ledgerDir());
             RowSource source = InputFiles.open(paths.input(), paths.inputOptions())) {
            Ledger ledger = Ledger.openRun(dataSource, Clock.systemUTC(), paths.jobName(), paths.input().toString(),
                    properties.provider().id(), properties.model());
            Reconciler reconciler = new Reconciler(ledger.intake(), ledger.pass(), true);
            List<NewRow> chunk = new ArrayList<>();
            for (InputRow row = InputRows.nextOrUnreadable(source); row != null;
                 row = InputRows.nextOrUnreadable(source)) {
                chunk.add(entries.entry(requests.plan(row)));
                if (chunk.size() == 500) {
                    reconciler.accept(chunk);
                    chunk.clear();
                }
            }
            reconciler.accept(chunk);
            reconciler.finish(true);
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            long last = ledger.intake().maxRowNo();
            for (long from = 1; from <= last; from += SEED_BATCH) { // H2 keeps a whole statement's undo in memory
                long to = from + SEED_BATCH - 1;
                jdbc.update("UPDATE zb_row SET state = 'COMPLETED', attempts = 1, images = 1, cost_usd = 0.031, "
                        + "request_id = 'seeded-' || row_no, submitted_at = updated_at, finished_at = updated_at "
                        + "WHERE run_id = ? AND row_no BETWEEN ? AND ?", ledger.run().runId(), from, to);
                jdbc.update("INSERT INTO zb_image (run_id, row_no, image_no, file, bytes, sha256, width, height, "
                        + "content_type) SELECT run_id, row_no, 1, 'images/' || file_stem || '.jpeg', 4096, "
                        + "REPEAT('0', 64), 256, 256, 'image/jpeg' FROM zb_row WHERE run_id = ? AND row_no BETWEEN ? AND ?",
                        ledger.run().runId(), from, to);
            }
            Reports.write(ledger, paths.outputDir()); // what the finished run left in its folder
        }
    }

    private record Run(int code, long wallNanos, long peakHeap, long maxHeap, long calls, long submissions,
                       long firstSubmission) {
        String describe() {
            return String.format(Locale.ROOT, "%s wall, peak heap %d MB of %d MB, %d provider calls (%d submissions)",
                    seconds(wallNanos), peakHeap / (1 << 20), maxHeap / (1 << 20), calls, submissions);
        }
    }

    /** One zbatch run in this process, watched: wall time, heap, calls, and when the first submission came. */
    private Run run(CommandLine commandLine, SandboxServer sandbox) {
        long callsBefore = calls(sandbox.stats());
        long submissionsBefore = sandbox.stats().submissions();
        HeapPeak heap = new HeapPeak();
        long start = System.nanoTime();
        long[] first = {-1};
        Thread watcher = new Thread(() -> {
            while (first[0] < 0 && !Thread.currentThread().isInterrupted()) {
                if (sandbox.stats().submissions() > submissionsBefore) first[0] = System.nanoTime() - start;
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "zbatch-bench-watcher");
        watcher.setDaemon(true);
        watcher.start();
        heap.start();
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        int code = new RunCommand(quiet, err, null).execute(commandLine);
        long wall = System.nanoTime() - start;
        long peak = heap.stop();
        watcher.interrupt();
        SandboxStats stats = sandbox.stats();
        return new Run(code, wall, peak, Runtime.getRuntime().maxMemory(), calls(stats) - callsBefore,
                stats.submissions() - submissionsBefore, first[0]);
    }

    private static long calls(SandboxStats stats) {
        return stats.requests();
    }

    /** {@code changed} distinct rows out of {@code rows}, at random places (the same ones for the same figures). */
    private static BitSet pick(long rows, int changed) {
        Random random = new Random(42);
        BitSet picked = new BitSet();
        while (picked.cardinality() < changed) picked.set(1 + random.nextInt(Math.toIntExact(rows)));
        return picked;
    }

    private static void write(Path input, long rows, BitSet edited) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(input)) {
            w.write("id,prompt\n");
            for (int i = 1; i <= rows; i++) {
                w.write("p" + i + ",studio photo of product number " + i + " on a white background"
                        + (edited.get(i) ? " (title fixed)" : "") + "\n");
            }
        }
    }

    private void line(String figure, String value) {
        out.println(figure + ": " + value);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
