package dev.zbatch.provider.segmind;

import dev.zbatch.provider.FetchedImage;
import dev.zbatch.provider.PollResult;
import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.provider.Submission;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.testing.StubServer;
import dev.zbatch.testing.StubServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmindSyncProviderTest extends SegmindStubFixture {

    private static final String SUBMIT = "/v1/z-image-turbo";
    private static final String MODEL = "z-image-turbo";

    @TempDir
    Path tmp;
    Path spool;
    SegmindSyncProvider sync;

    @BeforeEach
    void startSync() {
        spool = tmp.resolve("spool"); // not there yet: the first submit creates it
        sync = new SegmindSyncProvider(settings(stub.base(), Duration.ofSeconds(5)), spool);
    }

    @AfterEach
    void stopSync() {
        sync.close();
    }

    // ------------------------------------------------------------------ submit: the request

    @Test
    void postsToV1WithTheKeyAndTheV2Body() throws Exception {
        stub.on("POST", SUBMIT, Reply.bytes(200, png(), "image/png"));

        sync.submit(MODEL, request(Map.of("negative_prompt", "blurry", "strength", "0.35")));

        StubServer.Recorded r = stub.only();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v1/z-image-turbo");
        assertThat(r.header("x-api-key")).isEqualTo(KEY);
        assertThat(r.header("content-type")).startsWith("application/json");
        assertThat(r.header("accept")).contains("image/*").contains("application/json");
        JsonNode body = JsonMapper.builder().build().readTree(r.body());
        assertThat(body.path("prompt").asString()).isEqualTo("a red fox in the snow");
        assertThat(body.path("steps").asInt()).isEqualTo(8);
        assertThat(body.path("guidance_scale").asDouble()).isEqualTo(1.0);
        assertThat(body.path("seed").asLong()).isEqualTo(42);
        assertThat(body.path("width").asInt()).isEqualTo(768);
        assertThat(body.path("height").asInt()).isEqualTo(1024);
        assertThat(body.path("image_format").asString()).isEqualTo("webp");
        assertThat(body.path("quality").asInt()).isEqualTo(90);
        assertThat(body.path("base_64").isBoolean()).isTrue();
        assertThat(body.path("base_64").asBoolean()).isFalse();
        assertThat(body.path("negative_prompt").asString()).isEqualTo("blurry");
        assertThat(body.path("strength").decimalValue()).isEqualByComparingTo("0.35");
    }

    @Test
    void aBaseUrlWithATrailingSlashOrAPathPrefix() throws Exception {
        try (SegmindSyncProvider p = new SegmindSyncProvider(
                settings(URI.create(stub.base() + "/proxy/"), Duration.ofSeconds(5)), spool)) {
            stub.on("POST", "/proxy/v1/z-image-turbo", Reply.bytes(200, png(), "image/png"));
            p.submit(MODEL, request());
            assertThat(stub.only().path()).isEqualTo("/proxy/v1/z-image-turbo");
        }
    }

    @Test
    void refusedBeforeSendingTouchesNothing() {
        assertThatThrownBy(() -> sync.submit("flux", request())).isInstanceOf(IllegalArgumentException.class);
        var e = fails(() -> sync.submit(MODEL, request(Map.of("seed", "7"))));
        assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("nothing was sent");
        assertThat(stub.requests()).isEmpty();
        assertThat(spool).doesNotExist();
    }

    // ------------------------------------------------------------------ submit → poll → download

    @Test
    void aRawPngAnswerIsSpooledPolledAndDownloaded() throws Exception {
        byte[] png = png();
        stub.on("POST", SUBMIT, Reply.bytes(200, png, "image/png").header("x-credits-consumed", "0.031"));

        Submission s = sync.submit(MODEL, request());

        assertThat(s.requestId()).matches("sync-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        Path file = spool.resolve(s.requestId() + ".png").toAbsolutePath();
        assertThat(s.pollUrl()).isEqualTo(file.toUri());
        assertThat(s.pollUrl().getScheme()).isEqualTo("file");
        assertThat(s.pollUrl().getFragment()).as("no seed reported with a raw image").isNull();
        assertThat(s.resultUrl()).isNull();
        assertThat(s.costUsd()).isEqualByComparingTo(new BigDecimal("0.031"));
        assertThat(Files.readAllBytes(file)).isEqualTo(png);
        assertThat(spoolEntries()).containsExactly(file.getFileName().toString()); // no .part leftovers

        PollResult polled = sync.poll(tracked(s));
        assertThat(polled).isEqualTo(new PollResult.Completed(List.of(file.toUri()), null));

        FetchedImage fetched = sync.download(file.toUri());
        assertThat(fetched.bytes()).isEqualTo(png);
        assertThat(fetched.contentType()).isEqualTo("image/png");
        assertThat(file).as("kept until discarded").exists();
        assertThat(sync.download(file.toUri()).bytes()).as("the caller may fetch it again").isEqualTo(png);
    }

    @Test
    void aJsonBase64AnswerWithASeed() throws Exception {
        byte[] jpeg = jpeg();
        stub.on("POST", SUBMIT, Reply.json(200, "{\"image\":\"" + Base64.getEncoder().encodeToString(jpeg)
                + "\",\"seed\":987654321}").header("x-credits-consumed", "n/a"));

        Submission s = sync.submit(MODEL, request());

        Path file = spool.resolve(s.requestId() + ".jpg").toAbsolutePath();
        assertThat(s.pollUrl()).isEqualTo(URI.create(file.toUri() + "#seed=987654321"));
        assertThat(s.costUsd()).as("not numeric").isNull();
        assertThat(Files.readAllBytes(file)).isEqualTo(jpeg);

        PollResult polled = sync.poll(tracked(s));
        assertThat(polled).isEqualTo(new PollResult.Completed(List.of(file.toUri()), 987654321L));

        FetchedImage fetched = sync.download(((PollResult.Completed) polled).imageUrls().get(0));
        assertThat(fetched.bytes()).isEqualTo(jpeg);
        assertThat(fetched.contentType()).isEqualTo("image/jpeg");
    }

    @Test
    void aJsonAnswerWithADataUriInOutput() throws Exception {
        byte[] png = png();
        String mime = Base64.getMimeEncoder().encodeToString(png); // line breaks inside are ignored
        stub.on("POST", SUBMIT, Reply.json(200, "{\"output\":\"data:image/png;base64," + mime.replace("\r\n", "\\r\\n")
                + "\",\"seed\":\"5\"}"));

        Submission s = sync.submit(MODEL, request());

        assertThat(s.pollUrl().toString()).endsWith(".png#seed=5");
        PollResult.Completed done = (PollResult.Completed) sync.poll(tracked(s));
        assertThat(done.seed()).isEqualTo(5L);
        assertThat(sync.download(done.imageUrls().get(0)).bytes()).isEqualTo(png);
    }

    @Test
    void anImageOfUnknownFormatIsSpooledAsBin() throws Exception {
        byte[] odd = "not really an image".getBytes();
        stub.on("POST", SUBMIT, Reply.bytes(200, odd, "image/avif"));

        Submission s = sync.submit(MODEL, request());

        assertThat(s.pollUrl().toString()).endsWith(s.requestId() + ".bin");
        FetchedImage fetched = sync.download(s.pollUrl());
        assertThat(fetched.bytes()).isEqualTo(odd);
        assertThat(fetched.contentType()).isNull();
    }

    @Test
    void anOctetStreamThatIsAPngIsAccepted() throws Exception {
        stub.on("POST", SUBMIT, Reply.bytes(200, png(), "application/octet-stream"));
        assertThat(sync.submit(MODEL, request()).pollUrl().toString()).endsWith(".png");
    }

    // ------------------------------------------------------------------ submit: answers without an image

    @Test
    void aJsonAnswerWithoutAnImageIsProtocolNamingTheKeys() {
        stub.on("POST", SUBMIT, Reply.json(200, "{\"status\":\"OK\",\"seed\":3,\"url\":\"https://x/y.png\"}"));

        var e = fails(() -> sync.submit(MODEL, request()));

        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.httpStatus()).as("accepted, so possibly charged").isEqualTo(200);
        assertThat(e.getMessage()).contains("image, output").contains("status, seed, url");
        assertThat(spoolEntries()).isEmpty();
    }

    @Test
    void anImageFieldThatIsNotBase64IsProtocol() {
        stub.on("POST", SUBMIT, Reply.json(200, "{\"image\":\"https://cdn.example/x.png\"}"));
        var e = fails(() -> sync.submit(MODEL, request()));
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("'image'").contains("base64");
    }

    @Test
    void anHtmlPageIsProtocol() {
        stub.on("POST", SUBMIT, Reply.bytes(200, "<html>maintenance</html>".getBytes(), "text/html"));
        var e = fails(() -> sync.submit(MODEL, request()));
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("text/html").contains("maintenance");
    }

    @Test
    void anEmptyImageIsProtocol() {
        stub.on("POST", SUBMIT, Reply.bytes(200, new byte[0], "image/png"));
        assertThat(fails(() -> sync.submit(MODEL, request())).kind()).isEqualTo(Kind.PROTOCOL);
    }

    // ------------------------------------------------------------------ submit: errors as in v2

    @ParameterizedTest
    @CsvSource({"400,BAD_REQUEST", "401,AUTH", "403,AUTH", "402,CREDITS", "406,CREDITS", "500,AMBIGUOUS_SUBMIT",
            "502,AMBIGUOUS_SUBMIT", "504,AMBIGUOUS_SUBMIT"})
    void statusesAreClassifiedAsInV2(int status, Kind kind) {
        stub.on("POST", SUBMIT, Reply.json(status, "{\"error\":\"nope, key " + KEY + "\"}"));

        var e = fails(() -> sync.submit(MODEL, request())); // also: the key is in no message

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(stub.requests()).as("never resent").hasSize(1);
        assertThat(spoolEntries()).isEmpty();
    }

    @Test
    void http429CarriesRetryAfter() {
        stub.on("POST", SUBMIT, Reply.json(429, "{\"error\":\"slow down\"}").header("Retry-After", "7"));
        var e = fails(() -> sync.submit(MODEL, request()));
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void aConnectionDroppedAfterThePostIsAmbiguous() {
        stub.on("POST", SUBMIT, Reply.hangUp());
        var e = fails(() -> sync.submit(MODEL, request()));
        assertThat(e.kind()).isEqualTo(Kind.AMBIGUOUS_SUBMIT);
        assertThat(e.httpStatus()).isZero();
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void aGenerationLongerThanTheResponseTimeoutIsAmbiguous() throws Exception {
        try (SegmindSyncProvider p = new SegmindSyncProvider(settings(stub.base(), Duration.ofMillis(300)), spool)) {
            stub.on("POST", SUBMIT, Reply.bytes(200, png(), "image/png").delay(1500));
            var e = fails(() -> p.submit(MODEL, request()));
            assertThat(e.kind()).isEqualTo(Kind.AMBIGUOUS_SUBMIT);
            assertThat(e.getMessage()).contains("no answer in time");
        }
    }

    @Test
    void connectionRefusedIsTransientBecauseNothingLeft() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (SegmindSyncProvider p = new SegmindSyncProvider(
                settings(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2)), spool)) {
            var e = fails(() -> p.submit(MODEL, request()));
            assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(e.getMessage()).contains("nothing was sent");
        }
    }

    // ------------------------------------------------------------------ poll

    @Test
    void aMissingSpoolFileIsExpired() throws Exception {
        stub.on("POST", SUBMIT, Reply.bytes(200, png(), "image/png"));
        Submission s = sync.submit(MODEL, request());
        Files.delete(Path.of(s.pollUrl()));

        assertThat(sync.poll(tracked(s))).isEqualTo(new PollResult.Expired(
                "the image received from the synchronous call is no longer in the spool folder"));
        var e = fails(() -> sync.download(s.pollUrl()));
        assertThat(e.kind()).as("not retried; the next poll says Expired").isEqualTo(Kind.PROTOCOL);
    }

    @Test
    void discardDeletesTheSpoolFile() throws Exception {
        stub.on("POST", SUBMIT, Reply.bytes(200, jpeg(), "image/jpeg"));
        Submission s = sync.submit(MODEL, request());

        assertThat(sync.discard(s.requestId())).isTrue();
        assertThat(spoolEntries()).isEmpty();
        assertThat(sync.discard(s.requestId())).isFalse();
        assertThat(sync.poll(tracked(s))).isInstanceOf(PollResult.Expired.class);
        assertThat(sync.discard("../../etc/passwd")).isFalse();
        assertThat(sync.discard("req-1")).isFalse();
    }

    @Test
    void anHttpPollUrlIsProtocol() {
        var e = fails(() -> sync.poll(new TrackedRequest("req-1", URI.create(url("/v2/requests/req-1/status")),
                null)));
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("not a file: URL").contains("mode=async");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void aPollUrlOutsideTheSpoolIsProtocol() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere")).resolve("sync-" + UUID.randomUUID() + ".png");
        Files.write(elsewhere, png());
        var e = fails(() -> sync.poll(new TrackedRequest("x", URI.create(elsewhere.toUri() + "#seed=1"), null)));
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("spool folder");
    }

    // ------------------------------------------------------------------ download

    @Test
    void downloadRefusesAnythingOutsideTheSpool() throws Exception {
        Files.createDirectories(spool);
        Path other = Files.createDirectories(tmp.resolve("other"));
        String name = "sync-" + UUID.randomUUID() + ".png";
        Path outside = other.resolve(name);
        Files.write(outside, png());
        Path link = spool.resolve("sync-" + UUID.randomUUID() + ".png");
        Files.createSymbolicLink(link, outside);
        Files.write(spool.resolve("notes.png"), png());

        for (URI uri : List.of(
                outside.toUri(),                                                    // another folder
                URI.create(spool.toUri() + "../other/" + name),                     // .. escape
                link.toUri(),                                                       // a link that leads out
                spool.resolve("notes.png").toUri(),                                 // not a spooled image
                URI.create("file:///etc/passwd"),
                URI.create(url("/images/x.png")))) {                                // not a file: URL
            var e = fails(() -> sync.download(uri));
            assertThat(e.kind()).as(uri.toString()).isEqualTo(Kind.PROTOCOL);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static TrackedRequest tracked(Submission s) {
        return new TrackedRequest(s.requestId(), s.pollUrl(), s.resultUrl());
    }

    private List<String> spoolEntries() {
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] png() throws IOException {
        return encode("png");
    }

    private static byte[] jpeg() throws IOException {
        return encode("jpg");
    }

    private static byte[] encode(String format) throws IOException {
        BufferedImage image = new BufferedImage(16, 12, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, 16, 12);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return out.toByteArray();
    }
}
