package dev.zbatch.cli;

import dev.zbatch.testing.Manifest;
import dev.zbatch.testing.ZbatchRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** One run over several accounts, each its own sandbox at its own limit: shared out, and failed over. */
class AccountsRunTest {

    @TempDir
    Path dir;

    private ZbatchRun zbatch;

    private int run(int rows, String... accounts) throws Exception {
        Path input = Files.write(dir.resolve("p.csv"), IntStream.rangeClosed(0, rows)
                .mapToObj(i -> i == 0 ? "prompt" : "account prompt " + i).toList());
        zbatch = ZbatchRun.onTheSandbox(input, dir.resolve("out")).with(accounts);
        return zbatch.execute("run");
    }

    @Test
    void twoAccountsShareTheRowsEachWithinItsOwnLimit() throws Exception {
        int exit = run(90, "--zbatch.accounts.fast.submits-per-minute=1200",
                "--zbatch.accounts.slow.submits-per-minute=600", "--zbatch.accounts.slow.price-per-image=0.01");

        assertThat(exit).as(zbatch.output()).isEqualTo(0);
        List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
        Map<String, Long> byAccount = countBy(rows, r -> r.get("account").asString());
        assertThat(byAccount.keySet()).containsExactlyInAnyOrder("fast", "slow");
        assertThat(byAccount.get("fast") + byAccount.get("slow")).isEqualTo(90);
        assertThat(byAccount.get("fast")).isGreaterThan(byAccount.get("slow")); // twice its limit
        // each row costs what an image costs at its account; what was announced is at the shares' average
        assertThat(rows).allSatisfy(r -> assertThat(r.get("cost_usd").decimalValue())
                .isEqualByComparingTo(r.get("account").asString().equals("slow") ? "0.01" : "0.031"));
        assertThat(zbatch.output()).contains("to send: 90 rows, 90 images, $2.16");
        // each sandbox took exactly what the manifest says it did, and never answered 429
        assertThat(sandboxJobs("fast")).isEqualTo(byAccount.get("fast"));
        assertThat(sandboxJobs("slow")).isEqualTo(byAccount.get("slow"));
        assertThat(zbatch.output()).contains("0 answered 429")
                .containsPattern("account fast: \\d+ sent \\([\\d.]+/min this run\\), \\d+ completed")
                .containsPattern("account slow: \\d+ sent \\([\\d.]+/min this run\\), \\d+ completed");
    }

    @Test
    void anAccountOutOfCreditsMidRunLeavesTheRestToTheOtherWithNothingSentTwice() throws Exception {
        int exit = run(40, "--zbatch.accounts.main.priority=1",
                "--zbatch.accounts.main.sandbox.out-of-credits-after=12",
                "--zbatch.accounts.spare.submits-per-minute=0");

        assertThat(exit).as(zbatch.output()).isEqualTo(0);
        List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
        assertThat(rows).hasSize(40).allSatisfy(r -> assertThat(r.get("state").asString()).isEqualTo("COMPLETED"));
        Map<String, Long> byAccount = countBy(rows, r -> r.get("account").asString());
        assertThat(byAccount).containsEntry("main", 12L).containsEntry("spare", 28L);
        assertThat(sandboxJobs("main") + sandboxJobs("spare")).isEqualTo(40); // one request per row
        assertThat(zbatch.output()).containsPattern("account main: 12 sent \\([\\d.]+/min this run\\), 12 completed")
                .contains("out of rotation: ");
        // status, from the ledger alone, says the same
        assertThat(status()).containsPattern("main +12 sent, 12 completed, 0 failed, 0 in flight, ≈\\$0\\.37; "
                        + "out of rotation: Segmind: insufficient credits")
                .containsPattern("spare +28 sent, 28 completed");
    }

    @Test
    void anAccountWithRequestsInFlightCannotBeDroppedFromTheSpecBeforeTheyAreCollected() throws Exception {
        // stopped while both accounts' requests are still being made
        int stopped = run(6, "--zbatch.sandbox.min-latency=5s", "--zbatch.sandbox.max-latency=5s",
                "--zbatch.job.max-duration=1500ms", "--zbatch.accounts.main.submits-per-minute=0",
                "--zbatch.accounts.spare.submits-per-minute=0", "--zbatch.submit.concurrency=1");
        assertThat(stopped).as(zbatch.output()).isEqualTo(4);
        long atSpare = Manifest.rows(dir.resolve("out")).stream()
                .filter(r -> "spare".equals(r.get("account").asString())).count();
        assertThat(atSpare).as(zbatch.output()).isPositive();

        ZbatchRun withoutSpare = ZbatchRun.onTheSandbox(dir.resolve("p.csv"), dir.resolve("out"))
                .with("--zbatch.accounts.main.submits-per-minute=0");

        assertThat(withoutSpare.execute("run")).as(withoutSpare.output()).isEqualTo(2);
        assertThat(withoutSpare.output()).contains("in flight at account spare, which the job spec no longer lists")
                .doesNotContain("Exception");
    }

    @Test
    void theSummarySaysWhenTheWindowNotTheLimitSetThePace() throws Exception {
        // a high limit, one request in flight at a time: every row waits for the one before
        int exit = run(8, "--zbatch.submit.window=1", "--zbatch.sandbox.submits-per-minute=6000",
                "--zbatch.sandbox.min-latency=150ms",
                "--zbatch.sandbox.max-latency=200ms");

        assertThat(exit).as(zbatch.output()).isEqualTo(0);
        assertThat(zbatch.output()).containsPattern("window: +the in-flight window \\(1 request\\) was full for "
                + "\\d+% of the run: it, not the limit, set the pace; raise zbatch.submit.window");
    }

    private String status() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(Zbatch.execute(new String[]{"status", dir.resolve("out").toString()}, print, print)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anAccountWhoseKeyIsRefusedIsTakenOutAndTheRunGoesOn() throws Exception {
        int exit = run(10, "--zbatch.accounts.revoked.priority=5",
                "--zbatch.accounts.revoked.sandbox.refuse-key=true",
                "--zbatch.accounts.good.submits-per-minute=0");

        assertThat(exit).as(zbatch.output()).isEqualTo(0);
        List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
        assertThat(countBy(rows, r -> r.get("account").asString())).containsExactly(Map.entry("good", 10L));
        assertThat(zbatch.output()).contains("account revoked: nothing sent; out of rotation: ");
    }

    @Test
    void whenNoAccountCanTakeWorkTheRunStopsResumably() throws Exception {
        int exit = run(10, "--zbatch.accounts.a.sandbox.out-of-credits-after=2",
                "--zbatch.accounts.b.sandbox.out-of-credits-after=3");

        assertThat(exit).as(zbatch.output()).isEqualTo(4);
        assertThat(zbatch.output()).contains("no account can take work: ").contains("a: Segmind: insufficient credits")
                .contains("b: Segmind: insufficient credits");
        List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
        assertThat(countBy(rows, r -> r.get("state").asString())).containsEntry("COMPLETED", 5L)
                .containsEntry("PENDING", 5L);
    }

    private long sandboxJobs(String account) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("out/.zbatch/sandbox-" + account))) {
            return files.filter(p -> p.toString().endsWith(".json")).count();
        }
    }

    private static Map<String, Long> countBy(List<JsonNode> rows, Function<JsonNode, String> key) {
        return rows.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
    }
}
