package dev.zbatch.output;

import dev.zbatch.testing.HeadlessChromium;
import dev.zbatch.testing.Manifest;
import dev.zbatch.testing.ZbatchProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The gallery of a real sandbox run, as a person sees it in a real headless Chromium: the images load, the state
 * filters show the right rows, and a prompt that is a script tag is shown as text and never runs.
 */
class GalleryBrowserTest {

    private static final String NO_CHROMIUM =
            "chromium not found: install it (apt-get install chromium) to run the gallery browser test";
    private static final String SCRIPT_PROMPT = "<script>alert(1)</script>";

    private static Optional<Path> chromium;

    @TempDir
    Path dir;

    @BeforeAll
    static void findChromium() {
        chromium = HeadlessChromium.find();
        if (chromium.isEmpty()) {
            // straight to the process's stderr: Maven keeps System.err of tests in a file (redirectTestOutputToFile),
            // and this should be seen in the build output
            PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
                    StandardCharsets.UTF_8);
            stderr.println("GalleryBrowserTest skipped: " + NO_CHROMIUM);
            System.err.println("GalleryBrowserTest skipped: " + NO_CHROMIUM);
        }
    }

    @Test
    void theGalleryOfASandboxRunShowsItsImagesFiltersByStateAndRunsNoRowContent() throws Exception {
        assumeTrue(chromium.isPresent(), NO_CHROMIUM);
        Path input = Files.writeString(dir.resolve("prompts.csv"), """
                id,prompt,width
                fox,a red fox in snow,
                xss,"<script>alert(1)</script>",
                mug #2,a blue mug on a table,
                wide,far too wide,4096
                owl,an owl at night,
                """);
        Path outDir = dir.resolve("out");
        ZbatchProcess run = ZbatchProcess.start(dir, Map.of(), "run", "--input", input.toString(),
                "--out", outDir.toString(), "--zbatch.sandbox.min-latency=20ms", "--zbatch.sandbox.max-latency=100ms",
                "--zbatch.collect.first-poll-delay=50ms", "--zbatch.collect.max-poll-interval=200ms",
                "--zbatch.defaults.width=256", "--zbatch.defaults.height=256", "--zbatch.defaults.image_format=png");
        assertThat(run.waitFor(120)).as(run.output()).isEqualTo(3);
        List<JsonNode> rows = Manifest.rows(outDir);
        assertThat(rows).extracting(r -> r.get("state").asString())
                .containsExactly("COMPLETED", "COMPLETED", "COMPLETED", "REJECTED", "COMPLETED");
        URI gallery = outDir.resolve("index.html").toUri();

        try (HeadlessChromium browser = HeadlessChromium.start(chromium.get(), 1280, 2000)) {
            browser.open(URI.create(gallery + "#state=REJECTED"));
            assertThat(visibleRowIds(browser)).as("opened with #state=REJECTED").containsExactly("wide");

            browser.open(URI.create("about:blank"));
            browser.open(gallery);
            assertThat(strings(browser.evaluate(ALL_IMAGES_SETTLED + ".then(images => images.filter("
                    + "i => i.naturalWidth > 0).map(i => i.getAttribute('src')))")))
                    .as("images shown")
                    .containsExactly("images/fox.png", "images/xss.png", "images/mug%20%232.png", "images/owl.png");
            assertThat(browser.evaluate("document.querySelector('img').loading").asString()).isEqualTo("lazy");
            assertThat(visibleRowIds(browser)).containsExactly("fox", "xss", "mug #2", "owl", "wide");
            browser.screenshot(targetDir().resolve("gallery-screenshot.png"));

            browser.click("a[data-filter=REJECTED]");
            waitForHash(browser, "#state=REJECTED");
            assertThat(visibleRowIds(browser)).containsExactly("wide");
            assertThat(browser.evaluate("document.querySelector('[data-state=REJECTED] .reason').textContent")
                    .asString()).contains("width").contains("4096");

            browser.click("a[data-filter=COMPLETED]");
            waitForHash(browser, "#state=COMPLETED");
            assertThat(visibleRowIds(browser)).containsExactly("fox", "xss", "mug #2", "owl");
            assertThat(browser.evaluate("document.getElementById('without-images').hidden").asBoolean()).isTrue();

            assertThat(strings(browser.evaluate("[...document.querySelectorAll('.prompt')].map(p => p.textContent)")))
                    .contains(SCRIPT_PROMPT);
            assertThat(browser.evaluate("document.scripts.length").asInt()).as("only the gallery's own script")
                    .isEqualTo(1);
            assertThat(browser.events("Page.javascriptDialogOpening")).as("no alert").isEmpty();
            assertThat(browser.events("Log.entryAdded")).as("nothing refused by the page's security policy")
                    .noneMatch(e -> e.path("params").path("entry").path("source").asString().equals("security"));
        }
    }

    /** Resolves with every img once each has loaded or failed (lazy ones too: the window shows them all). */
    private static final String ALL_IMAGES_SETTLED = "Promise.all([...document.images].map(i => i.complete ? i"
            + " : new Promise(r => { i.addEventListener('load', () => r(i));"
            + " i.addEventListener('error', () => r(i)); })))";

    private static List<String> visibleRowIds(HeadlessChromium browser) throws Exception {
        return strings(browser.evaluate("[...document.querySelectorAll('.item')].filter(e => e.offsetParent !== null)"
                + ".map(e => e.querySelector('.id').textContent)"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        for (JsonNode element : array) strings.add(element.asString());
        return strings;
    }

    private static void waitForHash(HeadlessChromium browser, String hash) throws Exception {
        browser.evaluate("new Promise(r => { const t = () => location.hash === '" + hash + "'"
                + " ? setTimeout(r, 50) : setTimeout(t, 20); t(); })");
    }

    private static Path targetDir() throws Exception {
        // target/test-classes -> target (the build directory may be moved with -Dzbatch.build.dir)
        return Path.of(GalleryBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent();
    }
}
