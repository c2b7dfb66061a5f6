package dev.zbatch.cli;

import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.testing.ZbatchProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A typo in a setting stops the command before anything is sent, naming the key, where it is, and the fix. */
class StrictConfigurationTest {

    @TempDir
    Path dir;

    private SandboxServer sandbox;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        sandbox = SandboxServer.start(SandboxSettings.defaults());
        Files.writeString(dir.resolve("p.csv"), "sku,prompt\nA1,a lamp\n");
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private List<String> args(String... extra) {
        List<String> args = new ArrayList<>(List.of(extra));
        args.addAll(List.of("--out", dir.resolve("out").toString(), "--provider", "segmind",
                "--zbatch.providers.segmind.base-url=" + sandbox.baseUrl(),
                "--zbatch.providers.segmind.api-key=strict-test", "--zbatch.progress.mode=off"));
        return args;
    }

    private int zbatch(String... extra) {
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        return Zbatch.execute(args(extra).toArray(String[]::new), print, print);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aMisspeltFlagIsRefusedWithTheNearestSetting() {
        int code = zbatch("run", "--input", dir.resolve("p.csv").toString(), "--zbatch.submit.windw=4");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(output()).contains("zbatch: unknown setting zbatch.submit.windw (on the command line); did you "
                + "mean zbatch.submit.window?").contains("nothing was sent").doesNotContain("Exception");
        assertThat(sandbox.stats().requests()).isZero();
    }

    @Test
    void aMisspeltKeyInAJobSpecIsRefusedWithItsFileAndLine() throws Exception {
        Path spec = Files.writeString(dir.resolve("catalog.yml"), """
                zbatch:
                  input:
                    path: %s
                    id-colum: sku
                """.formatted(dir.resolve("p.csv")));

        int code = zbatch("run", spec.toString());

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(output()).contains("zbatch: unknown setting zbatch.input.id-colum (in catalog.yml, line 4); did "
                + "you mean zbatch.input.id-column?");
        assertThat(sandbox.stats().requests()).isZero();
        assertThat(dir.resolve("out/manifest.jsonl")).doesNotExist();
    }

    @Test
    void aValueThatDoesNotParseSaysWhatWasExpected() {
        assertThat(zbatch("run", "--input", dir.resolve("p.csv").toString(), "--max-cost", "abc"))
                .isEqualTo(ExitCode.USAGE);
        assertThat(output()).contains("zbatch: cannot use zbatch.budget.max-cost=abc (on the command line): expected "
                + "a number, such as 25 or 0.5").doesNotContain("neither a decimal digit");
        out.reset();
        assertThat(zbatch("run", "--input", dir.resolve("p.csv").toString(), "--zbatch.collect.on-mismatch=kep"))
                .isEqualTo(ExitCode.USAGE);
        assertThat(output()).contains("expected one of keep, fail");
        assertThat(sandbox.stats().requests()).isZero();
    }

    @Test
    void aMisspeltModeInAJobSpecIsRefusedWithItsFileLineAndTheModesThereAre() throws Exception {
        Path spec = Files.writeString(dir.resolve("catalog.yml"), """
                zbatch:
                  input:
                    path: %s
                  providers:
                    segmind:
                      mode: asnyc
                  submit:
                    on-unknown: resubmt
                """.formatted(dir.resolve("p.csv")));

        assertThat(zbatch("run", spec.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(output()).contains("zbatch: cannot use zbatch.submit.on-unknown=resubmt (in catalog.yml, line 8): "
                + "expected one of hold, resubmit").doesNotContain("Exception");
        assertThat(sandbox.stats().requests()).isZero();

        out.reset();
        Files.writeString(spec, Files.readString(spec).replace("resubmt", "resubmit"));
        assertThat(zbatch("run", spec.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(output()).contains("zbatch: cannot use zbatch.providers.segmind.mode=asnyc (in catalog.yml, "
                + "line 6): expected one of async, sync");
        assertThat(sandbox.stats().requests()).isZero();
    }

    @Test
    void anUnknownCommandIsCalledOne() {
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(Zbatch.execute(new String[] {"stauts"}, print, print)).isEqualTo(ExitCode.USAGE);
        assertThat(output()).contains("zbatch: unknown command 'stauts'; did you mean status?")
                .doesNotContain("no such job spec");
    }

    @Test
    void aMisspeltEnvironmentVariableIsRefused() throws Exception {
        List<String> args = args("run", "--input", dir.resolve("p.csv").toString());
        ZbatchProcess process = ZbatchProcess.start(dir, Map.of("ZBATCH_SUBMIT_WINDW", "4"),
                args.toArray(String[]::new));

        assertThat(process.waitFor(60)).isEqualTo(ExitCode.USAGE);
        assertThat(process.output()).contains("zbatch: unknown setting zbatch.submit.windw (from the environment "
                + "variable ZBATCH_SUBMIT_WINDW); did you mean zbatch.submit.window (ZBATCH_SUBMIT_WINDOW)?");
        assertThat(sandbox.stats().requests()).isZero();
    }
}
