package dev.zbatch.cli;

import dev.zbatch.testing.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the dry run says a job will cost is what the run records, to the cent. */
class EstimateAgreesWithRunTest {

    @TempDir
    Path dir;

    private String execute(String command, Path input, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, "--input", input.toString(),
                "--out", dir.resolve("out").toString(), "--zbatch.sandbox.api=pixazo",
                "--zbatch.sandbox.min-latency=20ms", "--zbatch.sandbox.max-latency=80ms",
                "--zbatch.collect.first-poll-delay=50ms"));
        args.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = Zbatch.execute(args.toArray(String[]::new), print, print);
        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isIn(0, 3);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theSumOfCostUsdAfterTheRunEqualsTheEstimate() throws Exception {
        Path input = Files.writeString(dir.resolve("p.csv"), """
                id,prompt,num_images,seed,width,height
                a,a harbour at dawn,3,,1024,768
                b,a clock tower,1,,,
                c,a clock tower,1,,,
                d,a lantern,2,11,,
                e,a lantern,2,11,,
                f,odd shape,1,,1000,700
                g,,1,,,
                """);

        JsonNode estimate = JsonMapper.builder().build().readTree(execute("estimate", input, "--json"));
        String runOutput = execute("run", input);

        List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
        BigDecimal recorded = rows.stream().map(r -> r.get("cost_usd")).filter(c -> c != null && !c.isNull())
                .map(c -> new BigDecimal(c.asString())).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(rows).noneMatch(r -> r.get("state").asString().equals("FAILED"));
        // 3 + 1 + 1 + 2 images generated (e copies d), at Pixazo Turbo's $0.008
        assertThat(new BigDecimal(estimate.get("cost_usd").asString())).isEqualByComparingTo("0.056");
        assertThat(recorded).as(runOutput).isEqualByComparingTo(new BigDecimal(estimate.get("cost_usd").asString()));
        assertThat(estimate.get("rejected_rows").asLong())
                .isEqualTo(rows.stream().filter(r -> r.get("state").asString().equals("REJECTED")).count());
        assertThat(estimate.get("duplicate_rows").asLong()).isEqualTo(1);
    }

    @Test
    void aRunThatTheBalanceCannotCoverIsWarnedAbout() throws Exception {
        Path input = Files.writeString(dir.resolve("p.csv"), "prompt\none\ntwo\nthree\n");

        String output = execute("run", input, "--zbatch.sandbox.api=segmind", "--zbatch.sandbox.credits=0.05",
                "--zbatch.defaults.image_format=png");

        assertThat(output).contains("more than the account's balance of $0.05");
    }
}
