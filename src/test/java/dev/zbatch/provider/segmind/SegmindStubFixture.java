package dev.zbatch.provider.segmind;

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

/** A stub server and a provider pointed at it; helpers shared by the Segmind tests. */
abstract class SegmindStubFixture {

    static final String KEY = "sk-TEST-5e9f1c2d7a44";

    StubServer stub;
    SegmindAsyncProvider provider;

    @BeforeEach
    void startStub() throws Exception {
        stub = new StubServer();
        provider = new SegmindAsyncProvider(settings(stub.base(), Duration.ofSeconds(5)));
    }

    @AfterEach
    void stopStub() {
        provider.close();
        stub.close();
    }

    static SegmindSettings settings(URI base, Duration responseTimeout) {
        return new SegmindSettings(base, KEY, Duration.ofSeconds(2), responseTimeout, 4);
    }

    static ImageRequest request(Map<String, String> extras) {
        return new ImageRequest("a red fox in the snow", 768, 1024, 8, 1.0, 42, "webp", 90, 1, null, null, null, extras);
    }

    static ImageRequest request() {
        return request(Map.of());
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
