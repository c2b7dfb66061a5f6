package dev.zbatch.sandbox;

import dev.zbatch.sandbox.SandboxHttpClient.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Injected faults ({@link SandboxFaults}) over real loopback HTTP: 5xx, truncated downloads, 429 bursts, slow answers. */
class SandboxFaultsTest {

    private static final String V2_BODY = "{\"prompt\":\"fault test\",\"width\":256,\"height\":256}";
    private static final String PIXAZO_BODY = "{\"prompt\":\"fault test\",\"image_size\":\"square_1_1\"}";

    private final List<SandboxServer> servers = new ArrayList<>();
    private final SandboxHttpClient segmind = new SandboxHttpClient("key");
    private final SandboxHttpClient pixazo = new SandboxHttpClient(PixazoEndpoints.KEY_HEADER, "key");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        servers.forEach(SandboxServer::close);
    }

    private SandboxServer start(SandboxSettings settings) {
        SandboxServer server = SandboxServer.start(settings);
        servers.add(server);
        return server;
    }

    private static SandboxSettings instant() {
        return SandboxSettings.defaults().withLatency(Duration.ZERO, Duration.ZERO);
    }

    private static URI v2Submit(SandboxServer server) {
        return server.baseUrl().resolve("/v2/z-image-turbo");
    }

    // --- server errors

    @Test
    void atRateOneEveryCallIsA5xxInTurnBeforeAnythingElseAndNoJobIsCreated() {
        SandboxServer server = start(instant().withServerErrorRate(1.0).withRequireApiKey(true));
        URI base = server.baseUrl();
        SandboxHttpClient keyless = new SandboxHttpClient(null);

        // before the key check: a keyless call gets the 5xx, not a 401
        Answer v2 = keyless.post(v2Submit(server), V2_BODY);
        Answer v1 = segmind.post(base.resolve("/v1/z-image-turbo"), V2_BODY);
        Answer px = pixazo.post(base.resolve(PixazoSandboxTest.TURBO), PIXAZO_BODY);
        Answer status = segmind.get(base + "/v2/requests/0f8fad5b-d9cb-469f-a165-70867728950e/status");
        Answer result = segmind.get(base + "/v2/requests/0f8fad5b-d9cb-469f-a165-70867728950e");
        Answer pxStatus = pixazo.get(base + "/v2/requests/status/z-image-turbo-834_x");
        Answer image = keyless.get(base + "/sandbox/images/0f8fad5b-d9cb-469f-a165-70867728950e.png");
        Answer credits = segmind.get(base + "/v1/get-user-credits");

        assertThat(List.of(v2, v1, px, status, result, pxStatus, image, credits)).extracting(Answer::status)
                .containsExactly(500, 502, 503, 500, 502, 503, 500, 502);
        assertThat(v2.text("error")).contains("Internal Server Error").contains("sandbox");
        assertThat(px.text("error")).isEqualTo("Service Unavailable");
        assertThat(px.text("message")).contains("sandbox");
        assertThat(image.text("error")).contains("Internal Server Error");

        SandboxStats stats = server.stats();
        assertThat(stats.serverErrors()).isEqualTo(8);
        assertThat(stats.submissions()).as("no job created by a 5xx submission").isZero();
        assertThat(stats.submissionsOfBody(SandboxStats.bodyKey(V2_BODY))).isZero();
        assertThat(stats.unauthorized()).isZero();
        assertThat(stats.rejectedSubmissions()).isZero();
        assertThat(stats.statusPolls()).isZero();
        // the stats endpoint itself is never hit
        Answer json = keyless.get(base.resolve("/sandbox/stats"));
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.json().get("server_errors").asLong()).isEqualTo(8);
        assertThat(json.json().get("submissions").asLong()).isZero();
    }

    @Test
    void atRateHalfAboutHalfTheSubmissionsFailCleanlyAndOnlyTheOthersCreateJobs() {
        SandboxServer server = start(instant().withServerErrorRate(0.5));
        int errors = 0;
        for (int i = 0; i < 100; i++) {
            Answer answer = segmind.post(v2Submit(server), "{\"prompt\":\"row " + i + "\"}");
            if (answer.status() >= 500) {
                assertThat(answer.status()).isIn(500, 502, 503);
                errors++;
            } else {
                assertThat(answer.status()).isEqualTo(200);
            }
        }
        assertThat(errors).isBetween(30, 70);
        assertThat(server.stats().serverErrors()).isEqualTo(errors);
        assertThat(server.stats().submissions()).isEqualTo(100 - errors);
    }

    @Test
    void aRetriedCallGetsANewDrawSoItCanSucceed() {
        SandboxServer server = start(instant().withServerErrorRate(0.5));
        int attempts = 0;
        Answer answer;
        do {
            answer = segmind.post(v2Submit(server), V2_BODY);
            attempts++;
        } while (answer.status() != 200 && attempts < 50);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(server.stats().submissionsOfBody(SandboxStats.bodyKey(V2_BODY))).isEqualTo(1);
    }

    // --- truncated downloads

    @Test
    void aTruncatedDownloadPromisesTheFullLengthButSendsAboutHalfThenCloses() throws Exception {
        SandboxServer server = start(instant().withTruncateDownloadRate(1.0));
        String imageUrl = segmindImageUrl(server);

        // read as a stream: the bytes really received, against the promised Content-Length
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(imageUrl))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        long promised = response.headers().firstValueAsLong("Content-Length").orElseThrow();
        long received = 0;
        IOException failure = null;
        byte[] buffer = new byte[8192];
        try (InputStream body = response.body()) {
            for (int read; (read = body.read(buffer)) >= 0; ) received += read;
        } catch (IOException e) {
            failure = e;
        }
        assertThat(failure).as("the stream ends in an IOException, not a clean end").isNotNull();
        assertThat(received).isLessThan(promised).isBetween(promised / 2 - 1, promised / 2 + 1);

        // what a buffering client gets: an IOException, no image
        assertThatThrownBy(() -> segmind.get(imageUrl)).isInstanceOf(UncheckedIOException.class)
                .cause().isInstanceOf(IOException.class);
        assertThat(server.stats().truncatedDownloads()).isEqualTo(2);
        assertThat(server.stats().imageDownloads()).isEqualTo(2);
    }

    @Test
    void pixazoImagesAreTruncatedTooButJsonAnswersAndHeadAreNot() {
        SandboxServer server = start(instant().withTruncateDownloadRate(1.0));
        Answer submitted = pixazo.post(server.baseUrl().resolve(PixazoSandboxTest.TURBO), PIXAZO_BODY);
        assertThat(submitted.status()).isEqualTo(202);
        Answer status = pixazo.get(submitted.text("polling_url"));
        assertThat(status.status()).isEqualTo(200);
        String url = status.json().get("output").get("media_url").get(0).asString();
        assertThatThrownBy(() -> pixazo.get(url)).isInstanceOf(UncheckedIOException.class);
        HttpResponse<Void> head = sendDiscarding(HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(server.stats().truncatedDownloads()).isEqualTo(1);
    }

    @Test
    void atRateHalfAboutHalfTheDownloadsAreTruncated() {
        SandboxServer server = start(instant().withTruncateDownloadRate(0.5));
        String imageUrl = segmindImageUrl(server);
        int truncated = 0;
        for (int i = 0; i < 40; i++) {
            try {
                Answer image = segmind.get(imageUrl);
                assertThat(image.raw().body()).hasSize((int) image.raw().headers()
                        .firstValueAsLong("Content-Length").orElseThrow());
            } catch (UncheckedIOException e) {
                truncated++;
            }
        }
        assertThat(truncated).isBetween(10, 30);
        assertThat(server.stats().truncatedDownloads()).isEqualTo(truncated);
    }

    // --- 429 bursts

    @Test
    void everyNthApiCallStartsABurstOfExactlyM429sThenCallsAreAnsweredAgain() {
        SandboxServer server = start(instant().withRateLimitBurst(5, 3));
        Answer submitted = segmind.post(v2Submit(server), V2_BODY); // call 1
        assertThat(submitted.status()).isEqualTo(200);
        String statusUrl = submitted.text("status_url");
        String imageUrl = segmind.get(submitted.text("response_url")).text("output"); // call 2

        List<Integer> statuses = new ArrayList<>();
        List<String> retryAfter = new ArrayList<>();
        for (int call = 3; call <= 12; call++) {
            Answer answer = segmind.get(statusUrl);
            statuses.add(answer.status());
            if (answer.status() == 429) {
                retryAfter.add(answer.raw().headers().firstValue("Retry-After").orElse(null));
                assertThat(answer.text("error")).contains("Rate limit");
            }
            // image downloads are not API calls: they neither count nor get a 429
            assertThat(segmind.get(imageUrl).status()).isEqualTo(200);
        }
        //                                 3    4    5    6    7    8    9   10   11   12
        assertThat(statuses).containsExactly(200, 200, 429, 429, 429, 200, 200, 429, 429, 429);
        assertThat(retryAfter).hasSize(6).containsOnly("1");
        assertThat(server.stats().burstRateLimited()).isEqualTo(6);
        assertThat(server.stats().rateLimited()).isEqualTo(6);
        assertThat(server.stats().statusPolls()).as("refused calls never reach the endpoint").isEqualTo(4);
    }

    @Test
    void aSubmissionRefusedInABurstCreatesNoJobWhateverTheTokenBucketSays() {
        // an unlimited bucket: only the bursts refuse; every 2nd call, bursts of 1
        SandboxServer server = start(instant().withRateLimitBurst(2, 1));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(pixazo.post(server.baseUrl().resolve(PixazoSandboxTest.TURBO),
                    "{\"prompt\":\"burst " + i + "\",\"image_size\":\"square_1_1\"}").status());
        }
        assertThat(statuses).containsExactly(202, 429, 202, 429, 202, 429);
        assertThat(server.stats().submissions()).isEqualTo(3);
        assertThat(server.stats().burstRateLimited()).isEqualTo(3);
        Answer limited = pixazo.post(server.baseUrl().resolve(PixazoSandboxTest.TURBO), PIXAZO_BODY); // 7: answered
        assertThat(limited.status()).isEqualTo(202);
        limited = pixazo.post(server.baseUrl().resolve(PixazoSandboxTest.TURBO), PIXAZO_BODY); // 8: refused
        assertThat(limited.text("error")).isEqualTo("Too Many Requests");
        assertThat(limited.raw().headers().firstValue("Retry-After")).contains("1");
    }

    // --- slow answers

    @Test
    void aSlowAnswerTakesAtLeastTheDelayAndOutlastsAShorterClientTimeout() throws Exception {
        Duration delay = Duration.ofMillis(300);
        SandboxServer server = start(instant().withSlowAnswer(delay, 1.0));
        Answer submitted = segmind.post(v2Submit(server), V2_BODY); // submissions are never slowed
        assertThat(submitted.status()).isEqualTo(200);
        assertThat(server.stats().slowAnswers()).isZero();

        long started = System.nanoTime();
        Answer status = segmind.get(submitted.text("status_url"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(delay);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.text("status")).isEqualTo("COMPLETED");
        assertThat(server.stats().slowAnswers()).isEqualTo(1);

        HttpRequest impatient = HttpRequest.newBuilder(URI.create(submitted.text("response_url")))
                .header("x-api-key", "key").timeout(Duration.ofMillis(100)).build();
        assertThatThrownBy(() -> http.send(impatient, HttpResponse.BodyHandlers.ofByteArray()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(server.stats().slowAnswers()).isEqualTo(2);
    }

    // --- expiry: the retention setting

    @Test
    void afterTheRetentionStatusResultAndImagesAnswer404ForEveryApi() throws InterruptedException {
        SandboxServer server = start(instant().withRetention(Duration.ofMillis(300)));
        Answer v2 = segmind.post(v2Submit(server), V2_BODY);
        Answer px = pixazo.post(server.baseUrl().resolve(PixazoSandboxTest.TURBO), PIXAZO_BODY);
        String v2Image = segmind.get(v2.text("response_url")).text("output");
        String pxImage = pixazo.get(px.text("polling_url")).json().get("output").get("media_url").get(0).asString();
        assertThat(segmind.get(v2Image).status()).isEqualTo(200);
        assertThat(segmind.get(pxImage).status()).isEqualTo(200);

        Thread.sleep(350);
        assertThat(segmind.get(v2.text("status_url")).status()).isEqualTo(404);
        assertThat(segmind.get(v2.text("response_url")).status()).isEqualTo(404);
        assertThat(pixazo.get(px.text("polling_url")).status()).isEqualTo(404);
        assertThat(segmind.get(v2Image).status()).isEqualTo(404);
        assertThat(segmind.get(pxImage).status()).isEqualTo(404);
    }

    // --- settings

    @Test
    void faultsAreOffByDefaultAndEachIsSetOnItsOwn() {
        SandboxSettings settings = SandboxSettings.defaults().withCredits(BigDecimal.TEN);
        assertThat(settings.faults()).isEqualTo(SandboxFaults.NONE);
        assertThat(SandboxSettings.defaults().faults()).isEqualTo(SandboxFaults.NONE);
        assertThat(SandboxFaults.NONE.any()).isFalse();
        SandboxSettings all = settings.withServerErrorRate(0.1).withTruncateDownloadRate(0.2)
                .withRateLimitBurst(10, 4).withSlowAnswer(Duration.ofSeconds(2), 0.3);
        assertThat(all).extracting(SandboxSettings::serverErrorRate, SandboxSettings::truncateDownloadRate,
                        SandboxSettings::rateLimitBurstEvery, SandboxSettings::rateLimitBurstLength,
                        SandboxSettings::slowAnswer, SandboxSettings::slowAnswerRate, SandboxSettings::credits)
                .containsExactly(0.1, 0.2, 10, 4, Duration.ofSeconds(2), 0.3, BigDecimal.TEN);
        assertThat(all.faults().any()).isTrue();
        assertThat(all.withRetention(Duration.ofMinutes(5)).faults()).isEqualTo(all.faults());
    }

    @Test
    void faultSettingsAreValidated() {
        SandboxSettings settings = SandboxSettings.defaults();
        assertThatThrownBy(() -> settings.withServerErrorRate(1.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withTruncateDownloadRate(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withRateLimitBurst(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withRateLimitBurst(5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withRateLimitBurst(5, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withSlowAnswer(Duration.ofMillis(-1), 1.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withSlowAnswer(Duration.ofMillis(1), 2.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(settings.withRateLimitBurst(5, 4).withRateLimitBurst(0, 0).faults()).isEqualTo(SandboxFaults.NONE);
    }

    // --- helpers

    /** Submits a Segmind v2 job (instant) and returns its image URL. */
    private String segmindImageUrl(SandboxServer server) {
        Answer submitted = segmind.post(v2Submit(server), V2_BODY);
        assertThat(submitted.status()).isEqualTo(200);
        Answer result = segmind.get(submitted.text("response_url"));
        assertThat(result.text("status")).isEqualTo("COMPLETED");
        return result.text("output");
    }

    private HttpResponse<Void> sendDiscarding(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
