package dev.zbatch.cli;

import dev.zbatch.testing.ZbatchProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./run.sh bench} as a user runs it: one line per figure, the ratio last, every figure filled in. */
class BenchCommandTest {

    @Test
    void printsEveryFigureWithTheRatioLast(@TempDir Path work) throws Exception {
        ZbatchProcess bench = ZbatchProcess.start(work, Map.of(), "bench", "--rows", "30", "--rate", "1200/min",
                "--latency", "0.1-0.3s");
        assertThat(bench.waitFor(120)).as(bench.output()).isZero();
        List<String> lines = Arrays.stream(bench.output().split("\n"))
                .filter(line -> line.matches("[a-z0-9 ]+: .*")).toList();

        assertThat(lines).extracting(line -> line.substring(0, line.indexOf(':'))).containsExactly("rows", "images",
                "rate", "latency", "first submission", "makespan", "bound", "429 answers", "calls per image",
                "cpu per 1000 images", "cpu by part", "peak heap", "ratio");
        assertThat(lines).contains("rows: 30", "images: 30", "429 answers: 0");
        assertThat(number(lines, "calls per image: ([0-9.]+)")).isBetween(4.0, 4.5);
        double ratio = number(lines, "ratio: ([0-9.]+)");
        // 30 rows at 20/s: the bound is 1.8 s, so start-up shows (the first polls wait the initial 2 s)
        assertThat(ratio).isBetween(0.9, 2.5);
        // each part of zbatch that did work this run is there with its share
        for (String part : List.of("collect", "submit", "sandbox")) {
            assertThat(number(lines, "cpu by part: .*\\b" + part + " ([0-9.]+) s")).as(part).isPositive();
        }
    }

    private static double number(List<String> lines, String regex) {
        Pattern pattern = Pattern.compile(regex);
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.find()) return Double.parseDouble(m.group(1));
        }
        throw new AssertionError("no line matches " + regex + " in " + lines);
    }
}
