package dev.zbatch.testing;

import dev.zbatch.cli.Zbatch;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * zbatch's commands run in this JVM ({@link Zbatch#execute}) as an end-to-end test runs them: one input into one
 * output folder, small images (256×256, in the API's default format) and short poll delays, so that a run of a few
 * rows takes well under a second; stdout and stderr are captured together. Options given with {@link #with} are added after these, and a
 * later option wins over an earlier one of the same setting.
 */
public final class ZbatchRun {

    private final List<String> options = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private ZbatchRun(Path input, Path outDir) {
        options.addAll(List.of("--input", input.toString(), "--out", outDir.toString(),
                "--zbatch.collect.first-poll-delay=50ms", "--zbatch.defaults.width=256",
                "--zbatch.defaults.height=256"));
    }

    /** Against the embedded sandbox, which answers in 20–100 ms. */
    public static ZbatchRun onTheSandbox(Path input, Path outDir) {
        return new ZbatchRun(input, outDir)
                .with("--zbatch.sandbox.min-latency=20ms", "--zbatch.sandbox.max-latency=100ms");
    }

    /**
     * Against a server of the test's own that speaks Segmind's API (a started SandboxServer, a stub), with no
     * rate limit of zbatch's own and the progress lines off.
     */
    public static ZbatchRun onSegmindAt(URI baseUrl, String apiKey, Path input, Path outDir) {
        return new ZbatchRun(input, outDir).with("--provider", "segmind",
                "--zbatch.providers.segmind.base-url=" + baseUrl, "--zbatch.providers.segmind.api-key=" + apiKey,
                "--zbatch.providers.segmind.submits-per-minute=0", "--zbatch.progress.mode=off");
    }

    /** These options too, from now on. */
    public ZbatchRun with(String... more) {
        options.addAll(List.of(more));
        return this;
    }

    /** Runs {@code command} (run, estimate, retry …) with the options and {@code extra}; returns its exit code. */
    public int execute(String command, String... extra) {
        out.reset();
        List<String> args = new ArrayList<>();
        args.add(command);
        args.addAll(options);
        args.addAll(List.of(extra));
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        return Zbatch.execute(args.toArray(String[]::new), print, print);
    }

    /** What the last command printed, stdout and stderr together. */
    public String output() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
