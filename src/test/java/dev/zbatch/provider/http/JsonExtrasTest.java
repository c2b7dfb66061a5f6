package dev.zbatch.provider.http;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonExtrasTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void extrasAreTypedConservatively() {
        ObjectNode body = json.createObjectNode();
        JsonExtras.put(body, "a", "-2");
        JsonExtras.put(body, "b", "1e3");
        JsonExtras.put(body, "c", "NaN");
        JsonExtras.put(body, "d", "True");
        JsonExtras.put(body, "e", "12345678901234567890");
        JsonExtras.put(body, "f", "1.");
        assertThat(body.path("a").isIntegralNumber()).isTrue();
        assertThat(body.path("b").isNumber()).isTrue();
        assertThat(body.path("c").isString()).isTrue();
        assertThat(body.path("d").isString()).as("only lower-case true/false are booleans").isTrue();
        assertThat(body.path("e").bigIntegerValue()).hasToString("12345678901234567890");
        assertThat(body.path("f").isString()).isTrue();
    }

    @Test
    void anExtraNamedLikeAFieldZbatchSetsIsRefused() {
        Map<String, String> extras = new LinkedHashMap<>();
        extras.put("style", "photo");
        extras.put("seed", "7");
        ObjectNode body = json.createObjectNode();
        assertThatThrownBy(() -> JsonExtras.putAll(body, extras, Set.of("prompt", "seed")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("extra parameter 'seed' would overwrite a field zbatch sets itself; "
                        + "use the canonical parameter instead");
    }
}
