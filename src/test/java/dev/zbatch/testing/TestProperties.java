package dev.zbatch.testing;

import dev.zbatch.config.ZbatchProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.HashMap;
import java.util.Map;

/** {@link ZbatchProperties} bound as Spring Boot binds them, defaults included, from a few name=value pairs. */
public final class TestProperties {

    private TestProperties() {
    }

    public static ZbatchProperties of(String... nameValuePairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) map.put(nameValuePairs[i], nameValuePairs[i + 1]);
        return new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("zbatch", ZbatchProperties.class);
    }
}
