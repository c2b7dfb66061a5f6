package dev.zbatch.cli;

import dev.zbatch.sandbox.SandboxServer;
import dev.zbatch.sandbox.SandboxSettings;
import dev.zbatch.testing.Images;
import dev.zbatch.testing.Manifest;
import dev.zbatch.testing.ZbatchProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The output folder follows its input: tonight's export, run into the same folder, pays only for the rows that are
 * new or changed, and the manifest describes the input as it is now, however it was edited between runs.
 */
class LivingInputTest {

    private static final int ROWS = 60;

    @TempDir
    Path dir;

    private SandboxServer sandbox;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void startSandbox() {
        sandbox = SandboxServer.start(SandboxSettings.defaults().withLatency(Duration.ofMillis(20),
                Duration.ofMillis(120)));
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    private String[] args(Path input, Path outDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--input", input.toString(), "--out", outDir.toString(),
                "--provider", "segmind", "--zbatch.providers.segmind.base-url=" + sandbox.baseUrl(),
                "--zbatch.providers.segmind.api-key=living-input-key",
                "--zbatch.providers.segmind.submits-per-minute=0", "--zbatch.submit.window=16",
                "--zbatch.collect.first-poll-delay=50ms", "--zbatch.collect.max-poll-interval=200ms",
                "--zbatch.defaults.width=256", "--zbatch.defaults.height=256",
                "--zbatch.defaults.image_format=png", "--zbatch.progress.mode=off"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private int run(Path input, Path outDir, String... extra) {
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        return Zbatch.execute(args(input, outDir, extra), print, print);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A catalog export: sku, title; the prompt is built from the title. */
    private static Map<String, String> catalog(int rows) {
        Map<String, String> products = new LinkedHashMap<>();
        for (int i = 1; i <= rows; i++) products.put("sku-" + i, "product number " + i);
        return products;
    }

    /** Tonight's edits: 5 appended, 3 titles fixed, 2 dropped, 1 inserted near the top. */
    private static Map<String, String> tonight(Map<String, String> yesterday) {
        Map<String, String> edited = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, String> product : yesterday.entrySet()) {
            if (i++ == 2) edited.put("sku-new-top", "a product inserted near the top");
            String sku = product.getKey();
            if (sku.equals("sku-10") || sku.equals("sku-40")) continue;
            boolean fixed = sku.equals("sku-5") || sku.equals("sku-20") || sku.equals("sku-55");
            edited.put(sku, fixed ? product.getValue() + " (title fixed)" : product.getValue());
        }
        for (int n = 1; n <= 5; n++) edited.put("sku-appended-" + n, "an appended product " + n);
        return edited;
    }

    private static Path write(Path file, Map<String, String> products) throws Exception {
        List<String> lines = new ArrayList<>(List.of("sku,title"));
        products.forEach((sku, title) -> lines.add(sku + "," + title));
        return Files.write(file, lines);
    }

    private static final String[] TEMPLATE = {"--zbatch.input.id-column=sku",
            "--template", "Studio photo of {title}, white background"};

    @Test
    void tonightsExportIntoTheSameFolderPaysOnlyForWhatIsNewOrChanged() throws Exception {
        Path outDir = dir.resolve("out");
        Map<String, String> yesterday = catalog(ROWS);
        Path input = write(dir.resolve("products.csv"), yesterday);
        assertThat(run(input, outDir, TEMPLATE)).as(output()).isEqualTo(0);
        assertThat(sandbox.stats().submissions()).isEqualTo(ROWS);
        Map<String, JsonNode> before = byId(Manifest.rows(outDir));

        Map<String, String> edited = tonight(yesterday);
        write(input, edited);
        out.reset();
        String[] estimate = args(input, outDir, TEMPLATE);
        estimate[0] = "estimate";
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(Zbatch.execute(estimate, print, print)).as(output()).isEqualTo(0);
        assertThat(output()).contains("6 new, 3 changed, 55 unchanged, 2 no longer in the input")
                .contains("to send:  9 rows, 9 images");
        assertThat(sandbox.stats().submissions()).as("an estimate sends nothing").isEqualTo(ROWS);

        out.reset();
        int code = run(input, outDir, TEMPLATE);

        assertThat(code).as(output()).isEqualTo(0);
        assertThat(output()).contains("64 rows: 6 new, 3 changed, 55 unchanged; 2 no longer in the input")
                .contains("to send: 9 rows");
        assertThat(sandbox.stats().submissions()).as("5 appended + 1 inserted + 3 fixed").isEqualTo(ROWS + 9);
        assertThat(sandbox.stats().maxSubmissionsOfOneBody()).isEqualTo(1);
        assertManifestIsTheInput(outDir, edited);
        List<JsonNode> rows = Manifest.rows(outDir);
        for (String fixed : List.of("sku-5", "sku-20", "sku-55")) {
            JsonNode row = byId(rows).get(fixed);
            JsonNode replaced = row.get("replaced").get(0).get("images").get(0);
            String oldFile = before.get(fixed).get("images").get(0).get("file").asString();
            assertThat(replaced.get("file").asString()).startsWith("replaced/").isNotEqualTo(oldFile);
            assertThat(replaced.get("sha256").asString())
                    .isEqualTo(before.get(fixed).get("images").get(0).get("sha256").asString());
            assertThat(Images.sha256(outDir.resolve(replaced.get("file").asString())))
                    .as("the old image of " + fixed + " is still on disk").isEqualTo(replaced.get("sha256").asString());
            assertThat(row.get("images").get(0).get("file").asString()).as("the new one took its name").isEqualTo(oldFile);
        }
        List<String> removed = Files.readAllLines(outDir.resolve("removed.jsonl"));
        assertThat(removed).hasSize(2);
        assertThat(removed.get(0)).contains("\"id\":\"sku-10\"");
        for (JsonNode gone : before.values()) {
            String id = gone.get("id").asString();
            if (!id.equals("sku-10") && !id.equals("sku-40")) continue;
            assertThat(outDir.resolve(gone.get("images").get(0).get("file").asString())).as("kept: " + id).exists();
        }

        out.reset();
        assertThat(run(input, outDir, TEMPLATE)).as(output()).isEqualTo(0);
        assertThat(output()).contains("64 rows: 0 new, 0 changed, 64 unchanged").contains("nothing to send");
        assertThat(sandbox.stats().submissions()).isEqualTo(ROWS + 9);
    }

    @Test
    void editsBetweenAKillAndItsResumeUnderTonightsFileNameGiveWhatACleanRunOfTheEditedFileGives() throws Exception {
        Path outDir = dir.resolve("out");
        Map<String, String> yesterday = catalog(ROWS);
        Path input = write(dir.resolve("products-2026-12-03.csv"), yesterday);
        ZbatchProcess first = ZbatchProcess.start(dir, Map.of(),
                args(input, outDir, "--zbatch.submit.window=4", TEMPLATE[0], TEMPLATE[1], TEMPLATE[2]));
        first.awaitSubmissions(sandbox, 20);
        first.kill();
        Map<String, Long> bodiesBefore = sandbox.stats().submissionsPerBody();

        Map<String, String> edited = tonight(yesterday);
        Path tonight = write(dir.resolve("products-2026-12-04.csv"), edited);
        int code = run(tonight, outDir, TEMPLATE);

        List<JsonNode> rows = Manifest.rows(outDir);
        long unknown = rows.stream().filter(r -> r.get("state").asString().equals("UNKNOWN")).count();
        assertThat(code).as(output()).isEqualTo(unknown == 0 ? 0 : 3);
        assertThat(unknown).as("only rows in flight at the kill").isLessThanOrEqualTo(4);
        assertManifestIsTheInput(outDir, edited);
        Map<String, Long> bodiesAfter = sandbox.stats().submissionsPerBody();
        assertThat(bodiesAfter.values()).as("no request was sent twice").allMatch(n -> n == 1);
        bodiesBefore.keySet().forEach(body -> assertThat(bodiesAfter.get(body)).isEqualTo(1));

        Path clean = dir.resolve("clean");
        out.reset();
        assertThat(run(tonight, clean, TEMPLATE)).as(output()).isEqualTo(0);
        Map<String, JsonNode> resumed = byId(rows);
        Map<String, JsonNode> fresh = byId(Manifest.rows(clean));
        assertThat(resumed.keySet()).containsExactlyElementsOf(fresh.keySet());
        resumed.forEach((id, row) -> {
            if (row.get("state").asString().equals("UNKNOWN")) return;
            assertThat(row.get("state").asString()).isEqualTo(fresh.get(id).get("state").asString());
            assertThat(row.get("prompt").asString()).isEqualTo(fresh.get(id).get("prompt").asString());
            assertThat(row.get("row").asLong()).isEqualTo(fresh.get(id).get("row").asLong());
            assertThat(row.get("images").get(0).get("file").asString())
                    .isEqualTo(fresh.get(id).get("images").get(0).get("file").asString());
        });
        assertThat(output()).doesNotContain("products-2026-12-03");
    }

    @Test
    void withoutAnIdColumnRowsAreTheirContentAndRepeatedRowsStayDistinct() throws Exception {
        Path outDir = dir.resolve("out");
        List<String> lines = new ArrayList<>(List.of("prompt"));
        IntStream.rangeClosed(1, 8).forEach(i -> lines.add("a plain prompt " + i));
        lines.add("a repeated prompt");
        lines.add("a repeated prompt");
        Path input = Files.write(dir.resolve("prompts.csv"), lines);
        assertThat(run(input, outDir)).as(output()).isEqualTo(0);
        assertThat(sandbox.stats().submissions()).isEqualTo(10);

        lines.add(1, "a prompt inserted at the top");      // new
        lines.set(4, "a plain prompt 3 (edited)");           // a new row; the old one is no longer in the input
        lines.add("a repeated prompt");                     // a third repeat: new
        Files.write(input, lines);
        out.reset();
        assertThat(run(input, outDir)).as(output()).isEqualTo(0);

        assertThat(output()).contains("12 rows: 3 new, 0 changed, 9 unchanged; 1 no longer in the input");
        assertThat(sandbox.stats().submissions()).isEqualTo(13);
        List<JsonNode> rows = Manifest.rows(outDir);
        assertThat(rows).extracting(r -> r.get("prompt").asString()).containsExactlyElementsOf(lines.subList(1,
                lines.size()));
        assertThat(rows).allSatisfy(r -> assertThat(r.get("state").asString()).isEqualTo("COMPLETED"));
        assertThat(rows).extracting(r -> r.get("row").asLong()).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 12).mapToObj(Long::valueOf).toList());
        assertThat(Files.readString(outDir.resolve("removed.jsonl"))).contains("a plain prompt 3\"");
    }

    @Test
    void aTemplateChangeThatWouldRemakeEveryImageStopsBeforeSendingUntilAccepted() throws Exception {
        Path outDir = dir.resolve("out");
        Path input = write(dir.resolve("products.csv"), catalog(10));
        assertThat(run(input, outDir, TEMPLATE)).as(output()).isEqualTo(0);

        String[] typo = {"--zbatch.input.id-column=sku", "--template", "Studio phot of {title}, white background",
                "--zbatch.cost.price-per-image=0.05"};
        out.reset();
        int code = run(input, outDir, typo);

        assertThat(code).as(output()).isEqualTo(2);
        assertThat(output()).contains("changes the request of 10 of the 10 rows that have images")
                .contains("about $0.50").contains("--accept-changes").contains("Nothing was sent");
        assertThat(sandbox.stats().submissions()).isEqualTo(10);
        assertThat(Manifest.rows(outDir)).allSatisfy(r -> {
            assertThat(r.get("state").asString()).isEqualTo("COMPLETED");
            assertThat(r.get("prompt").asString()).startsWith("Studio photo of");
        });

        out.reset();
        List<String> accepted = new ArrayList<>(List.of(typo));
        accepted.add("--accept-changes");
        assertThat(run(input, outDir, accepted.toArray(String[]::new))).as(output()).isEqualTo(0);
        assertThat(sandbox.stats().submissions()).isEqualTo(20);
        assertThat(Manifest.rows(outDir)).allSatisfy(r -> {
            assertThat(r.get("prompt").asString()).startsWith("Studio phot of");
            assertThat(r.get("replaced")).hasSize(1);
        });
    }

    /** Rows in = rows in the manifest, in input order, each with its own prompt and image. */
    private static void assertManifestIsTheInput(Path outDir, Map<String, String> products) throws Exception {
        List<JsonNode> rows = Manifest.rows(outDir);
        assertThat(rows).extracting(r -> r.get("id").asString()).containsExactlyElementsOf(products.keySet());
        int ordinal = 0;
        for (JsonNode row : rows) {
            ordinal++;
            String id = row.get("id").asString();
            assertThat(row.get("row").asLong()).isEqualTo(ordinal);
            assertThat(row.get("prompt").asString()).isEqualTo("Studio photo of " + products.get(id)
                    + ", white background");
            if (!row.get("state").asString().equals("COMPLETED")) continue;
            JsonNode image = row.get("images").get(0);
            assertThat(image.get("file").asString()).isEqualTo("images/" + id + ".png");
            assertThat(Images.sha256(outDir.resolve(image.get("file").asString())))
                    .isEqualTo(image.get("sha256").asString());
        }
    }

    private static Map<String, JsonNode> byId(List<JsonNode> rows) {
        return rows.stream().collect(Collectors.toMap(r -> r.get("id").asString(), r -> r, (a, b) -> a,
                LinkedHashMap::new));
    }
}
