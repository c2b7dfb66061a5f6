package dev.zbatch.provider.pixazo;

import dev.zbatch.provider.ProviderException;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.testing.KeyLeaks;
import dev.zbatch.testing.StubServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** A stub server and a provider pointed at it (as http://127.0.0.1:port); helpers shared by the Pixazo tests. */
abstract class PixazoStubFixture {

    static final String KEY = "pz-TEST-8c1e47b2d95a";
    static final String TURBO = PixazoModels.Z_IMAGE_TURBO;
    static final String BASE = PixazoModels.Z_IMAGE_BASE;
    static final String TURBO_PATH = "/z-image-turbo-834/v1/z-image-turbo-request";
    static final String BASE_PATH = "/z-image-base/v1/z-image-base-request";
    static final String REQUEST_ID = "z-image-turbo-834_019d0000-1111-2222-3333-444455556666";
    static final String STATUS_PATH = "/v2/requests/status/" + REQUEST_ID;

    StubServer stub;
    PixazoProvider provider;

    @BeforeEach
    void startStub() throws Exception {
        stub = new StubServer();
        provider = new PixazoProvider(settings(stub.base(), Duration.ofSeconds(5)), null);
    }

    @AfterEach
    void stopStub() {
        provider.close();
        stub.close();
    }

    static PixazoSettings settings(URI base, Duration responseTimeout) {
        return new PixazoSettings(base, KEY, Duration.ofSeconds(2), responseTimeout, 4, null);
    }

    /** A Turbo request as the request builder makes it: image_size resolved, optional fields unset. */
    static ImageRequest turboRequest(Map<String, String> extras) {
        return new ImageRequest("a red fox in the snow", 1024, 768, 8, 0, -1, "png", 0, 1, "landscape_4_3",
                null, null, extras);
    }

    static ImageRequest turboRequest() {
        return turboRequest(Map.of());
    }

    /** Z-Image Base's documented defaults (28 steps, guidance 4) with a prompt and a size. */
    static ImageRequest baseDefaults() {
        ImageRequest d = PixazoModels.BASE.defaults();
        return new ImageRequest("grandmother knitting by a window", d.width(), d.height(), d.steps(),
                d.guidanceScale(), d.seed(), d.imageFormat(), d.quality(), d.numImages(), "square_1_1",
                d.safetyChecker(), d.acceleration(), d.extras());
    }

    static String accepted(String requestId, String pollingUrl) {
        return "{\"request_id\":\"" + requestId + "\",\"status\":\"QUEUED\""
                + (pollingUrl == null ? "" : ",\"polling_url\":\"" + pollingUrl + "\"") + "}";
    }

    static String statusBody(String status, String extra) {
        return "{\"request_id\":\"" + REQUEST_ID + "\",\"status\":\"" + status + "\",\"model_id\":\"z-image-turbo-834\""
                + (extra == null || extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** Runs the call, expects a ProviderException, and checks that no message in its chain has the key. */
    static ProviderException fails(Executable call) {
        return KeyLeaks.fails(KEY, call);
    }

    static void assertNoKey(Throwable e) {
        KeyLeaks.assertNoKey(KEY, e);
    }

    String url(String path) {
        return stub.base() + path;
    }
}
