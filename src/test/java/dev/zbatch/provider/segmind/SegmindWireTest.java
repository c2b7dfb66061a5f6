package dev.zbatch.provider.segmind;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class SegmindWireTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void extrasAreTypedConservatively() {
        ObjectNode body = json.createObjectNode();
        SegmindWire.putExtra(body, "a", "-2");
        SegmindWire.putExtra(body, "b", "1e3");
        SegmindWire.putExtra(body, "c", "NaN");
        SegmindWire.putExtra(body, "d", "True");
        SegmindWire.putExtra(body, "e", "12345678901234567890");
        SegmindWire.putExtra(body, "f", "1.");
        assertThat(body.path("a").isIntegralNumber()).isTrue();
        assertThat(body.path("b").isNumber()).isTrue();
        assertThat(body.path("c").isString()).isTrue();
        assertThat(body.path("d").isString()).as("only lower-case true/false are booleans").isTrue();
        assertThat(body.path("e").bigIntegerValue()).hasToString("12345678901234567890");
        assertThat(body.path("f").isString()).isTrue();
    }

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
