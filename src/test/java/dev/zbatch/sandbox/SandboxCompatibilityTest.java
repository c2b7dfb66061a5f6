package dev.zbatch.sandbox;

import dev.zbatch.sandbox.SandboxHttpClient.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What existed before the Pixazo and Segmind v1 APIs keeps working: old job files, old settings constructor. */
class SandboxCompatibilityTest {

    @Test
    void jobFilesWrittenBeforeTheNewFieldsStillLoad(@TempDir Path stateDir) throws IOException {
        String id = "0f8fad5b-d9cb-469f-a165-70867728950e";
        long submittedAt = System.currentTimeMillis() - 10_000;
        Files.writeString(stateDir.resolve(id + ".json"), "{\"id\":\"" + id + "\",\"model\":\"z-image-turbo\","
                + "\"bodyKey\":\"abc\",\"prompt\":\"old\",\"width\":256,\"height\":256,\"steps\":8,"
                + "\"guidanceScale\":1.0,\"seed\":3,\"imageFormat\":\"png\",\"quality\":90,\"base64\":false,"
                + "\"submittedAtMillis\":" + submittedAt + ",\"latencyMillis\":100,\"fails\":false}");
        try (SandboxServer server = SandboxServer.start(SandboxSettings.defaults().withStateDir(stateDir))) {
            SandboxHttpClient client = new SandboxHttpClient(null);
            Answer result = client.get(server.baseUrl() + "/v2/requests/" + id);
            assertThat(result.status()).isEqualTo(200);
            assertThat(result.text("status")).isEqualTo("COMPLETED");
            assertThat(client.get(result.text("output")).status()).isEqualTo(200);
            assertThat(server.stats().restoredSubmissions()).isEqualTo(1);
        }
    }

    @Test
    void theDefaultsHaveNoErrorsOneWebhookDeliveryAndNoDroppedAnswers() {
        SandboxSettings settings = SandboxSettings.defaults();
        assertThat(settings.errorRate()).isZero();
        assertThat(settings.webhookRepeats()).isEqualTo(1);
        assertThat(settings.dropAfterAccept()).isZero();
        assertThat(settings.withErrorRate(0.25).withWebhookRepeats(3).withDropAfterAccept(0.5))
                .extracting(SandboxSettings::errorRate, SandboxSettings::webhookRepeats, SandboxSettings::dropAfterAccept)
                .containsExactly(0.25, 3, 0.5);
    }

    @Test
    void newSettingsAreValidated() {
        SandboxSettings settings = SandboxSettings.defaults();
        assertThatThrownBy(() -> settings.withErrorRate(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withErrorRate(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withDropAfterAccept(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withWebhookRepeats(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withWebhookRepeats(101)).isInstanceOf(IllegalArgumentException.class);
    }
}
