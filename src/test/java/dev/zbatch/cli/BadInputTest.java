package dev.zbatch.cli;

import dev.zbatch.testing.Images;
import dev.zbatch.testing.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each file of src/test/resources/bad-input (see the README there), end to end on the embedded sandbox: the exit
 * code, a message naming the file and line (and field), never a stack trace, and a manifest that lists every
 * data row when the run goes on.
 */
class BadInputTest {

    @TempDir
    Path dir;

    private record Result(int code, String output, Path outDir) {
    }

    private static Path corpus(String name) {
        try {
            return Path.of(BadInputTest.class.getResource("/bad-input/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A private copy, so that the run's key and the file's name are this test's own. */
    private Path copy(String name) throws IOException {
        return Files.copy(corpus(name), dir.resolve(name));
    }

    private Result run(Path input, String... extra) {
        return runInto(input, dir.resolve("out"), extra);
    }

    private Result runInto(Path input, Path outDir, String... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("run", "--input", input.toString(), "--out", outDir.toString(),
                "--zbatch.sandbox.min-latency=10ms", "--zbatch.sandbox.max-latency=50ms",
                "--zbatch.collect.first-poll-delay=30ms", "--zbatch.defaults.width=256",
                "--zbatch.defaults.height=256", "--zbatch.defaults.image_format=png"));
        args.addAll(List.of(extra));
        int code = Zbatch.execute(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String output = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertThat(output).as("no stack trace on the console").doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain("Caused by");
        return new Result(code, output, outDir);
    }

    // ---- stopped before anything is sent: exit 2 -------------------------------------------------------------

    private void assertUsage(Result r, String fileName, String lineOrNull, String fieldOrNull) {
        assertThat(r.code()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains(fileName + (lineOrNull == null ? ":" : ":" + lineOrNull + ":"));
        if (fieldOrNull != null) assertThat(r.output()).contains("field '" + fieldOrNull + "'");
        assertThat(r.outDir().resolve(".zbatch/sandbox")).as("nothing was sent").doesNotExist();
    }

    @Test
    void missingPromptColumnIsExit2NamingTheHeaderLineAndTheColumn() throws Exception {
        Result r = run(copy("missing-prompt-column.csv"));
        assertUsage(r, "missing-prompt-column.csv", "1", "prompt");
        assertThat(r.output()).contains("the file has columns: id, title, color");
    }

    @Test
    void anEmptyFileIsExit2() throws Exception {
        Result r = run(copy("empty.csv"));
        assertUsage(r, "empty.csv", null, null);
        assertThat(r.output()).contains("the file is empty");
    }

    @Test
    void aHeaderWithoutRowsIsExit2() throws Exception {
        Result r = run(copy("header-only.csv"));
        assertUsage(r, "header-only.csv", "1", null);
        assertThat(r.output()).contains("no data rows");
    }

    @Test
    void utf16DuplicateColumnsAndAnUnknownExtensionAreExit2() throws Exception {
        assertUsage(run(copy("utf16le.csv")), "utf16le.csv", "1", null);
        assertUsage(runInto(copy("duplicate-columns.csv"), dir.resolve("out2")), "duplicate-columns.csv", "1",
                "prompt");
        Result unknown = runInto(copy("unknown-format.txt"), dir.resolve("out3"));
        assertUsage(unknown, "unknown-format.txt", null, null);
        assertThat(unknown.output()).contains("zbatch.input.format");
    }

    @Test
    void aDirectoryAsInputIsExit2() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("prompts.csv"));
        Result r = run(folder);
        assertUsage(r, "prompts.csv", null, null);
        assertThat(r.output()).contains("is a directory");
    }

    @Test
    void aMissingFileIsExit2() {
        Result r = run(dir.resolve("nope.csv"));
        assertUsage(r, "nope.csv", null, null);
        assertThat(r.output()).contains("file not found");
        assertThat(r.outDir()).doesNotExist();
    }

    @Test
    void anOutputFolderUnderARegularFileIsExit2() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "a file where a folder should be");
        Path input = Files.writeString(dir.resolve("p.csv"), "prompt\na red fox\n");
        Result r = runInto(input, blocker.resolve("out"));
        assertThat(r.code()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains("not-a-folder");
        assertThat(Files.readString(blocker)).isEqualTo("a file where a folder should be");
    }

    @Test
    void anOutputFolderThatIsARegularFileIsExit2() throws Exception {
        Path blocker = Files.writeString(dir.resolve("out"), "a file where a folder should be");
        Path input = Files.writeString(dir.resolve("p.csv"), "prompt\na red fox\n");
        Result r = runInto(input, blocker);
        assertThat(r.code()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains(blocker.toString());
        assertThat(Files.readString(blocker)).isEqualTo("a file where a folder should be");
    }

    // ---- an unreadable row mid-file: the run stops, resumably --------------------------------------------------

    /** The first data row is read before the run is set up, so a problem there is exit 2, nothing sent. */
    @Test
    void anUnreadableFirstRowIsExit2WhenNothingCanBeReadPastItElseRejected() throws Exception {
        Path input = Files.writeString(dir.resolve("first.csv"), "id,prompt\na,\"never closed\nb,x\n");
        assertUsage(run(input), "first.csv", "2", null);
        Path jsonl = Files.writeString(dir.resolve("first.jsonl"), "{\"prompt\": \"x\"\n{\"prompt\": \"y\"}\n");
        Result r = runInto(jsonl, dir.resolve("out-jsonl"));
        assertThat(r.code()).as(r.output()).isEqualTo(3);
        List<JsonNode> rows = assertManifest(r, 2);
        assertThat(rejected(rows, 1).get("error").asString()).contains("not valid JSON");
    }

    private void assertStoppedAt(Result r, String fileName, long line, String fieldOrNull) {
        assertThat(r.code()).as(r.output()).isEqualTo(4);
        assertThat(r.output()).contains(fileName + ":" + line + ": ")
                .contains("the run stopped at line " + line + " of " + fileName)
                .contains("run the same command again");
        if (fieldOrNull != null) assertThat(r.output()).contains("field '" + fieldOrNull + "'");
        ByteArrayOutputStream status = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        assertThat(Zbatch.execute(new String[]{"status", r.outDir().toString()},
                new PrintStream(status, true, StandardCharsets.UTF_8), quiet)).isZero();
        assertThat(status.toString(StandardCharsets.UTF_8)).as("status says what stopped the run")
                .contains("; stopped: ").contains(fileName + ":" + line + ": ")
                .contains("fix it and run the same command again");
    }

    /** A row the reader can read past is REJECTED with its line and reason; the rows after it are sent. */
    @Test
    void aRaggedRowMidFileIsRejectedAndTheRunGoesOn() throws Exception {
        Result r = run(copy("ragged-row.csv"), "--zbatch.submit.chunk-size=2");

        assertThat(r.code()).as(r.output()).isEqualTo(3);
        List<JsonNode> rows = assertManifest(r, 7);
        assertThat(rejected(rows, 5).get("error").asString())
                .contains("ragged row: 3 fields but the header has 2 columns");
        assertThat(rows.stream().filter(row -> row.get("state").asString().equals("COMPLETED"))).hasSize(6);
        assertThat(submitted(r.outDir())).isEqualTo(6);
    }

    @Test
    void anUnbalancedQuoteMidFileStopsTheRunWithTheLineWhereTheFieldStarts() throws Exception {
        Result r = run(copy("unbalanced-quote.csv"), "--zbatch.submit.chunk-size=1");
        assertStoppedAt(r, "unbalanced-quote.csv", 3, null);
        assertThat(r.output()).contains("unbalanced double quote");
        // the whole input is read before anything is sent: nothing is paid for a file that cannot be read through
        assertThat(Manifest.rows(r.outDir())).isEmpty();
        assertThat(Files.exists(r.outDir().resolve(".zbatch/sandbox")) ? submitted(r.outDir()) : 0).isZero();
    }

    @Test
    void invalidUtf8OnLine3StopsTheRunWithItsLine() throws Exception {
        Result r = run(copy("invalid-utf8-line3.csv"), "--zbatch.submit.chunk-size=1");
        assertStoppedAt(r, "invalid-utf8-line3.csv", 3, null);
        assertThat(r.output()).contains("not valid UTF-8").contains("0xE9");
        assertThat(Manifest.rows(r.outDir())).isEmpty();
        assertThat(Files.exists(r.outDir().resolve(".zbatch/sandbox")) ? submitted(r.outDir()) : 0).isZero();
    }

    @Test
    void aNulInAFieldIsRejectedNamingLineAndField() throws Exception {
        Result r = run(copy("nul-in-field.csv"));

        assertThat(r.code()).as(r.output()).isEqualTo(3);
        JsonNode row = rejected(assertManifest(r, Manifest.rows(r.outDir()).size()), 3);
        assertThat(row.get("error").asString()).contains("field 'prompt'").contains("NUL");
    }

    @Test
    void brokenJsonlLinesAreRejectedWithoutParserInternalsAndTheRestIsSent() throws Exception {
        Result r = run(copy("broken-lines.jsonl"));

        assertThat(r.code()).as(r.output()).isEqualTo(3);
        List<JsonNode> rows = assertManifest(r, 4);
        assertThat(rejected(rows, 2).get("error").asString()).contains("not valid JSON at column")
                .doesNotContain("REDACTED").doesNotContain("StreamReadFeature");
        assertThat(rejected(rows, 3).get("error").asString()).contains("expected a JSON object");
        assertThat(rows).extracting(row -> row.get("state").asString())
                .containsExactly("COMPLETED", "REJECTED", "REJECTED", "COMPLETED");
    }

    // ---- the run goes on: REJECTED rows in the manifest, exit 3; or everything works, exit 0 ------------------

    /** Rows in = rows in the manifest; each REJECTED row carries its line, field and reason. */
    private static List<JsonNode> assertManifest(Result r, int rowsIn) throws IOException {
        List<JsonNode> rows = Manifest.rows(r.outDir());
        assertThat(rows).as(r.output()).hasSize(rowsIn);
        for (JsonNode row : rows) {
            assertThat(row.get("line").asLong()).isPositive();
            if (row.get("state").asString().equals("REJECTED")) {
                assertThat(row.get("error").asString()).isNotBlank();
                assertThat(row.get("request_id").isNull()).isTrue();
                assertThat(row.get("images")).isEmpty();
            } else {
                assertThat(row.get("state").asString()).isEqualTo("COMPLETED");
                for (JsonNode image : row.get("images")) {
                    Path file = r.outDir().resolve(image.get("file").asString());
                    assertThat(Images.sha256(file)).isEqualTo(image.get("sha256").asString());
                }
            }
        }
        return rows;
    }

    private static JsonNode rejected(List<JsonNode> rows, long line) {
        JsonNode row = rows.stream().filter(r -> r.get("line").asLong() == line).findFirst().orElseThrow();
        assertThat(row.get("state").asString()).isEqualTo("REJECTED");
        return row;
    }

    @Test
    void bomAndCrLfWork() throws Exception {
        Result r = run(copy("bom-crlf.csv"));
        assertThat(r.code()).as(r.output()).isEqualTo(0);
        List<JsonNode> rows = assertManifest(r, 2);
        assertThat(rows).extracting(row -> row.get("images").get(0).get("file").asString())
                .containsExactly("images/bom1.png", "images/bom2.png");
        assertThat(rows.get(1).get("prompt").asString()).isEqualTo("a quoted, prompt");
    }

    @Test
    void aPromptOverTheLimitIsRejected() throws Exception {
        Path input = Files.writeString(dir.resolve("long.csv"),
                "id,prompt\nshort,a red fox\nlong," + "a".repeat(100_000) + "\n");
        Result r = run(input);
        assertThat(r.code()).as(r.output()).isEqualTo(3);
        JsonNode row = rejected(assertManifest(r, 2), 3);
        assertThat(row.get("error").asString()).isEqualTo("field 'prompt': the prompt has 100000 characters; "
                + "the limit is 10000 (zbatch.input.max-prompt-chars)");
    }

    @Test
    void jsonlNumbersAsStringsWork() throws Exception {
        Result r = run(copy("numbers-as-strings.jsonl"));
        assertThat(r.code()).as(r.output()).isEqualTo(0);
        JsonNode row = assertManifest(r, 1).get(0);
        assertThat(row.get("seed").asLong()).isEqualTo(7);
        assertThat(row.get("params").get("steps").asInt()).isEqualTo(4);
        var image = Images.decode(r.outDir().resolve(row.get("images").get(0).get("file").asString()));
        assertThat(image.getWidth()).isEqualTo(512);
        assertThat(image.getHeight()).isEqualTo(256);
    }

    @Test
    void outOfRangeValuesAreRejectedWithFieldAndRange() throws Exception {
        Result r = run(copy("out-of-range.csv"));
        assertThat(r.code()).as(r.output()).isEqualTo(3);
        List<JsonNode> rows = assertManifest(r, 3);
        assertThat(rejected(rows, 3).get("error").asString()).contains("field 'width'").contains("99999")
                .contains("256–2048");
        assertThat(rejected(rows, 4).get("error").asString()).contains("field 'steps'").contains("-1")
                .contains("1–75");
        assertThat(submitted(r.outDir())).isEqualTo(1);
    }

    @Test
    void aDuplicateIdIsRejectedNamingTheFirstLine() throws Exception {
        Result r = run(copy("duplicate-ids.csv"));
        assertThat(r.code()).as(r.output()).isEqualTo(3);
        List<JsonNode> rows = assertManifest(r, 3);
        assertThat(rejected(rows, 4).get("error").asString())
                .isEqualTo("field 'id': duplicate id 'dup' (first used on line 2)");
        assertThat(rows.get(0).get("images").get(0).get("file").asString()).isEqualTo("images/dup.png");
    }

    @Test
    void hostileIdsGiveSafeNamesInsideTheImagesFolder() throws Exception {
        Path input = copy("hostile-ids.csv");
        Path outDir = Files.createDirectory(dir.resolve("work")).resolve("out");
        Set<Path> before = filesUnder(dir);

        Result r = runInto(input, outDir);

        assertThat(r.code()).as(r.output()).isEqualTo(0);
        List<JsonNode> rows = assertManifest(r, 4);
        Path images = outDir.resolve("images").toRealPath();
        for (JsonNode row : rows) {
            String file = row.get("images").get(0).get("file").asString();
            Path resolved = outDir.resolve(file).toRealPath();
            assertThat(resolved.getParent()).isEqualTo(images);
            String name = resolved.getFileName().toString();
            assertThat(name).doesNotContain("..").doesNotContain("\\").doesNotStartWith(".");
            assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(128);
        }
        assertThat(rows).extracting(row -> row.get("images").get(0).get("file").asString())
                .containsExactly("images/_etc_passwd.png", "images/_CON.png", "images/a_b_c.png",
                        "images/" + "x".repeat(120) + ".png");
        assertThat(rows.get(0).get("id").asString()).isEqualTo("../../etc/passwd");
        Set<Path> written = filesUnder(dir);
        written.removeAll(before);
        assertThat(written).as("every new file is inside the output folder")
                .allSatisfy(p -> assertThat(p.startsWith(outDir)).as(p.toString()).isTrue());
    }

    @Test
    void aScriptTagInAPromptStaysText() throws Exception {
        Result r = run(copy("script-prompt.csv"));
        assertThat(r.code()).as(r.output()).isEqualTo(0);
        JsonNode row = assertManifest(r, 1).get(0);
        assertThat(row.get("prompt").asString()).isEqualTo("<script>alert(1)</script>");
        assertThat(Files.readString(r.outDir().resolve("manifest.csv"))).contains("<script>alert(1)</script>");
        Path gallery = r.outDir().resolve("index.html");
        assertThat(Files.readString(gallery)).doesNotContain("<script>alert(1)")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void aQuoteInTsvIsAnOrdinaryCharacter() throws Exception {
        Result r = run(copy("quote.tsv"));
        assertThat(r.code()).as(r.output()).isEqualTo(0);
        assertThat(assertManifest(r, 2)).extracting(row -> row.get("prompt").asString())
                .containsExactly("A 12\" vinyl record", "say \"hi\", please");
    }

    @Test
    void aJsonlArrayForAParameterIsRejectedAndAnUnusedOneIsIgnored() throws Exception {
        Result r = run(copy("array-value.jsonl"));
        assertThat(r.code()).as(r.output()).isEqualTo(3);
        List<JsonNode> rows = assertManifest(r, 2);
        assertThat(rows.get(0).get("state").asString()).isEqualTo("COMPLETED");
        assertThat(rejected(rows, 2).get("error").asString())
                .isEqualTo("field 'width': '[512,768]' is not a whole number");
    }

    @Test
    void anEmptyAndAWhitespaceOnlyPromptAreRejected() throws Exception {
        for (String name : List.of("empty-prompt.csv", "whitespace-prompt.csv")) {
            Result r = runInto(copy(name), dir.resolve("out-" + name));
            assertThat(r.code()).as(r.output()).isEqualTo(3);
            assertThat(rejected(assertManifest(r, 2), 3).get("error").asString())
                    .isEqualTo("field 'prompt': the prompt is empty");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** The embedded sandbox keeps one file per accepted submission beside the ledger. */
    private static long submitted(Path outDir) throws IOException {
        try (Stream<Path> files = Files.list(outDir.resolve(".zbatch/sandbox"))) {
            return files.filter(p -> p.toString().endsWith(".json")).count();
        }
    }

    private static Set<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.collect(Collectors.toSet());
        }
    }
}
