package dev.zbatch.sandbox;

import dev.zbatch.sandbox.SandboxHttpClient.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Account-level failures over real loopback HTTP: credits that run out after N accepted submissions
 * ({@link SandboxSettings#outOfCreditsAfter()}) and keys that are refused ({@link SandboxSettings#refuseKeys()}).
 */
class SandboxAccountFaultsTest {

    private static final String PIXAZO_BODY = "{\"prompt\":\"account test\",\"image_size\":\"square_1_1\"}";

    private final List<SandboxServer> servers = new ArrayList<>();
    private final SandboxHttpClient segmind = new SandboxHttpClient("key");
    private final SandboxHttpClient pixazo = new SandboxHttpClient(PixazoEndpoints.KEY_HEADER, "key");

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

    private static URI v1Submit(SandboxServer server) {
        return server.baseUrl().resolve("/v1/z-image-turbo");
    }

    private static URI pixazoSubmit(SandboxServer server) {
        return server.baseUrl().resolve(PixazoSandboxTest.TURBO);
    }

    private static URI credits(SandboxServer server) {
        return server.baseUrl().resolve("/v1/get-user-credits");
    }

    private static String v2Body(int i) {
        return "{\"prompt\":\"row " + i + "\",\"width\":256,\"height\":256}";
    }

    // --- credits running out

    @Test
    void segmindAcceptsNSubmissionsThenAnswers406ButTheAcceptedJobsCanStillBeCollected() {
        SandboxServer server = start(instant().withOutOfCreditsAfter(3));
        List<Answer> accepted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Answer answer = segmind.post(v2Submit(server), v2Body(i));
            assertThat(answer.status()).as("submission %s: %s", i, answer.json()).isEqualTo(200);
            accepted.add(answer);
            if (i < 2) {
                assertThat(segmind.get(credits(server)).json().get("credits").decimalValue())
                        .as("not run out yet").isEqualByComparingTo("100");
            }
        }

        Answer refused = segmind.post(v2Submit(server), v2Body(3));
        assertThat(refused.status()).isEqualTo(406);
        assertThat(refused.raw().headers().firstValue("Content-Type")).contains("application/json");
        assertThat(refused.text("error")).isEqualTo("Insufficient credits");
        assertThat(refused.json().get("sandbox").asBoolean()).isTrue();
        assertThat(refused.json().has("request_id")).isFalse();
        assertThat(segmind.post(v2Submit(server), v2Body(4)).status()).as("and every one after it").isEqualTo(406);

        SandboxStats stats = server.stats();
        assertThat(stats.submissions()).as("no job for a refused submission").isEqualTo(3);
        assertThat(stats.submissionsOfBody(SandboxStats.bodyKey(v2Body(3)))).isZero();
        assertThat(stats.outOfCredits()).isEqualTo(2);
        assertThat(stats.rejectedSubmissions()).isZero();

        // what was accepted can still be polled, fetched and downloaded
        Answer status = segmind.get(accepted.get(0).text("status_url"));
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.text("status")).isEqualTo("COMPLETED");
        Answer result = segmind.get(accepted.get(0).text("response_url"));
        assertThat(result.status()).isEqualTo(200);
        Answer image = segmind.get(result.text("output"));
        assertThat(image.status()).isEqualTo(200);
        assertThat(image.raw().body()).isNotEmpty();

        Answer balance = segmind.get(credits(server));
        assertThat(balance.status()).isEqualTo(200);
        assertThat(balance.json().get("credits").decimalValue()).isEqualByComparingTo("0");
        assertThat(balance.json().get("sandbox").asBoolean()).isTrue();
        assertThat(segmind.get(server.baseUrl().resolve("/sandbox/stats")).json().get("out_of_credits").asLong())
                .isEqualTo(2);
    }

    @Test
    void pixazoAcceptsNSubmissionsThenAnswers402ButTheAcceptedJobsCanStillBeCollected() {
        SandboxServer server = start(instant().withOutOfCreditsAfter(3));
        List<Answer> accepted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Answer answer = pixazo.post(pixazoSubmit(server),
                    "{\"prompt\":\"row " + i + "\",\"image_size\":\"square_1_1\"}");
            assertThat(answer.status()).as("submission %s: %s", i, answer.json()).isEqualTo(202);
            accepted.add(answer);
        }

        Answer refused = pixazo.post(pixazoSubmit(server), PIXAZO_BODY);
        assertThat(refused.status()).isEqualTo(402);
        assertThat(refused.text("error")).isEqualTo("insufficient balance");
        assertThat(refused.json().get("message").asString()).isNotBlank();
        assertThat(refused.json().get("sandbox").asBoolean()).isTrue();
        assertThat(refused.json().has("request_id")).isFalse();
        assertThat(server.stats().submissions()).isEqualTo(3);
        assertThat(server.stats().submissionsOfBody(SandboxStats.bodyKey(PIXAZO_BODY))).isZero();
        assertThat(server.stats().outOfCredits()).isEqualTo(1);

        Answer status = pixazo.get(accepted.get(0).text("polling_url"));
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.text("status")).isEqualTo("COMPLETED");
        Answer image = pixazo.get(status.json().get("output").get("media_url").get(0).asString());
        assertThat(image.status()).isEqualTo(200);
        assertThat(image.raw().body()).isNotEmpty();

        assertThat(segmind.get(credits(server)).json().get("credits").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void everyApiDrawsOnTheSameBalance() {
        SandboxServer server = start(instant().withOutOfCreditsAfter(2));
        assertThat(segmind.post(v2Submit(server), v2Body(0)).status()).isEqualTo(200);
        Answer sync = segmind.post(v1Submit(server), v2Body(1));
        assertThat(sync.status()).isEqualTo(200);
        assertThat(sync.raw().body()).isNotEmpty();

        Answer v1 = segmind.post(v1Submit(server), v2Body(2));
        assertThat(v1.status()).isEqualTo(406);
        assertThat(v1.text("error")).isEqualTo("Insufficient credits");
        assertThat(v1.json().get("sandbox").asBoolean()).isTrue();
        assertThat(pixazo.post(pixazoSubmit(server), PIXAZO_BODY).status()).isEqualTo(402);
        assertThat(segmind.post(v2Submit(server), v2Body(3)).status()).isEqualTo(406);
        assertThat(server.stats().submissions()).isEqualTo(2);
        assertThat(server.stats().outOfCredits()).isEqualTo(3);
    }

    @Test
    void aRejectedSubmissionUsesNoCredit() {
        SandboxServer server = start(instant().withOutOfCreditsAfter(1));
        assertThat(segmind.post(v2Submit(server), "{}").status()).as("no prompt").isEqualTo(400);
        assertThat(pixazo.post(pixazoSubmit(server), "not json").status()).isEqualTo(400);
        assertThat(segmind.get(credits(server)).json().get("credits").decimalValue()).isEqualByComparingTo("100");
        assertThat(segmind.post(v2Submit(server), v2Body(0)).status()).isEqualTo(200);
        assertThat(segmind.post(v2Submit(server), v2Body(1)).status()).isEqualTo(406);
    }

    @Test
    void underConcurrencyExactlyNSubmissionsAreAccepted() throws Exception {
        int limit = 5;
        int submissions = 24;
        SandboxServer server = start(instant().withOutOfCreditsAfter(limit));
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < submissions; i++) {
                int row = i;
                calls.add(() -> row % 2 == 0
                        ? segmind.post(v2Submit(server), v2Body(row)).status()
                        : pixazo.post(pixazoSubmit(server),
                        "{\"prompt\":\"row " + row + "\",\"image_size\":\"square_1_1\"}").status());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(calls)) statuses.add(status.get());

            assertThat(statuses.stream().filter(s -> s == 200 || s == 202)).hasSize(limit);
            assertThat(statuses.stream().filter(s -> s == 406 || s == 402)).hasSize(submissions - limit);
            assertThat(server.stats().submissions()).isEqualTo(limit);
            assertThat(server.stats().outOfCredits()).isEqualTo(submissions - limit);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void byDefaultTheCreditsNeverRunOut() {
        SandboxServer server = start(instant());
        for (int i = 0; i < 10; i++) assertThat(segmind.post(v2Submit(server), v2Body(i)).status()).isEqualTo(200);
        assertThat(segmind.get(credits(server)).json().get("credits").decimalValue()).isEqualByComparingTo("100");
        assertThat(server.stats().outOfCredits()).isZero();
    }

    // --- refused keys

    @Test
    void refusedKeysAnswerEveryApiCall401ButImagesAndStatsStillAnswer() {
        SandboxServer server = start(instant().withRefuseKeys(true));
        URI base = server.baseUrl();
        Answer v2 = segmind.post(v2Submit(server), v2Body(0));
        Answer v1 = segmind.post(v1Submit(server), v2Body(1));
        Answer px = pixazo.post(pixazoSubmit(server), PIXAZO_BODY);
        Answer status = segmind.get(base + "/v2/requests/0f8fad5b-d9cb-469f-a165-70867728950e/status");
        Answer result = segmind.get(base + "/v2/requests/0f8fad5b-d9cb-469f-a165-70867728950e");
        Answer pxStatus = pixazo.get(base + "/v2/requests/status/z-image-turbo-834_x");
        Answer balance = segmind.get(credits(server));

        assertThat(List.of(v2, v1, px, status, result, pxStatus, balance)).extracting(Answer::status)
                .containsOnly(401);
        assertThat(v2.text("error")).startsWith("Unauthorized");
        assertThat(balance.text("error")).startsWith("Unauthorized");
        assertThat(px.text("error")).isEqualTo("Unauthorized");
        assertThat(px.text("message")).contains(PixazoEndpoints.KEY_HEADER);
        assertThat(new SandboxHttpClient(null).post(v2Submit(server), v2Body(2)).status())
                .as("with no key at all too").isEqualTo(401);

        SandboxStats stats = server.stats();
        assertThat(stats.submissions()).isZero();
        assertThat(stats.unauthorized()).isEqualTo(8);
        assertThat(stats.statusPolls()).as("refused calls never reach the endpoint").isZero();
        // image URLs and the stats need no key, so they are not refused (an unknown image is a 404, not a 401)
        assertThat(segmind.get(base + "/sandbox/images/0f8fad5b-d9cb-469f-a165-70867728950e.png").status())
                .isEqualTo(404);
        Answer json = segmind.get(base.resolve("/sandbox/stats"));
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.json().get("unauthorized").asLong()).isEqualTo(8);
    }

    // --- settings

    @Test
    void offByDefaultValidatedAndKeptByEveryWithMethod() {
        SandboxSettings defaults = SandboxSettings.defaults();
        assertThat(defaults.outOfCreditsAfter()).isZero();
        assertThat(defaults.refuseKeys()).isFalse();
        assertThatThrownBy(() -> defaults.withOutOfCreditsAfter(-1)).isInstanceOf(IllegalArgumentException.class);

        SandboxSettings set = defaults.withOutOfCreditsAfter(7).withRefuseKeys(true);
        SandboxSettings copied = set.withPort(0).withLatency(Duration.ZERO, Duration.ZERO).withFailureRate(0.1)
                .withSubmitsPerMinute(60).withSubmitBurst(3).withRetention(Duration.ofMinutes(5)).withStateDir(null)
                .withRequireApiKey(true).withErrorRate(0.1).withWebhookRepeats(2).withDropAfterAccept(0.1)
                .withCredits(BigDecimal.ONE).withFaults(SandboxFaults.NONE).withServerErrorRate(0.1);
        assertThat(copied.outOfCreditsAfter()).isEqualTo(7);
        assertThat(copied.refuseKeys()).isTrue();
        assertThat(copied.withOutOfCreditsAfter(0).withRefuseKeys(false).credits())
                .isEqualByComparingTo(BigDecimal.ONE);
    }
}
