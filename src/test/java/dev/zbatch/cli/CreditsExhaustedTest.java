package dev.zbatch.cli;

import dev.zbatch.testing.Manifest;
import dev.zbatch.testing.PixazoStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Out of balance mid-run (Pixazo's 402): stop submitting, keep what was paid for, resume after a top-up. */
class CreditsExhaustedTest {

    @TempDir
    Path dir;

    @Test
    void stopsSubmittingCollectsWhatWasAcceptedAndFinishesAfterATopUp() throws Exception {
        Path input = dir.resolve("p.csv");
        Files.write(input, IntStream.rangeClosed(0, 12).mapToObj(i -> i == 0 ? "prompt" : "credit prompt " + i)
                .toList());
        try (PixazoStub pixazo = new PixazoStub(5)) {
            String[] args = {"run", "--input", input.toString(), "--out", dir.resolve("out").toString(),
                    "--provider", "pixazo", "--zbatch.providers.pixazo.base-url=" + pixazo.baseUrl(),
                    "--zbatch.providers.pixazo.api-key=test-key", "--zbatch.providers.pixazo.submits-per-minute=0",
                    "--zbatch.submit.chunk-size=4",
                    "--zbatch.collect.first-poll-delay=20ms"};
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

            int first = Zbatch.execute(args, print, print);

            assertThat(first).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(4);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("top up").contains("run the same command");
            assertThat(pixazo.accepted()).isEqualTo(5);
            // stopped at the first refusal: only sends already under way at that moment were refused too
            assertThat(pixazo.refused()).isBetween(1, 4);
            List<JsonNode> rows = Manifest.rows(dir.resolve("out"));
            assertThat(rows.stream().filter(r -> r.get("state").asString().equals("COMPLETED"))).hasSize(5);
            assertThat(rows).noneMatch(r -> r.get("state").asString().equals("SUBMITTED"));
            String gallery = Files.readString(dir.resolve("out/index.html"));
            assertThat(gallery.split("<img ", -1)).as("the gallery of a stopped run shows what it has").hasSize(5 + 1);

            pixazo.topUp(100);
            int second = Zbatch.execute(args, print, print);

            assertThat(second).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(0);
            assertThat(Manifest.rows(dir.resolve("out"))).hasSize(12)
                    .allSatisfy(r -> assertThat(r.get("state").asString()).isEqualTo("COMPLETED"));
            assertThat(pixazo.accepted()).isEqualTo(12);
            assertThat(pixazo.maxAcceptancesOfOnePrompt()).isEqualTo(1);
        }
    }
}
