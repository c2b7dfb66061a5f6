package dev.zbatch.provider.segmind;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class SegmindWireTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void imageUrlsPreferOutputAndIgnoreNonUrls() {
        JsonNode node = json.readTree("""
                {"output":"data-not-a-url","image":"https://h/i.png","images":["https://h/j.png"]}""");
        assertThat(SegmindWire.imageUrls(node)).containsExactly("https://h/i.png");
        assertThat(SegmindWire.imageUrls(json.readTree("{\"foo\":\"https://h/x\"}"))).isEmpty();
        assertThat(SegmindWire.imageUrls(json.readTree("{\"output\":{\"media_url\":[\"https://h/m\"]}}")))
                .containsExactly("https://h/m");
    }
}
