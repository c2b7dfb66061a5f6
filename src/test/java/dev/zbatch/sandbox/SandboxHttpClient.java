package dev.zbatch.sandbox;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A minimal real HTTP client for the tests (no mocks): JSON in, JSON or bytes out. */
final class SandboxHttpClient {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String keyHeader;
    private final String apiKey;

    /** Sends the key (when not null) as Segmind's {@code x-api-key}. */
    SandboxHttpClient(String apiKey) {
        this("x-api-key", apiKey);
    }

    /** Sends the key (when not null) in the given header, e.g. Pixazo's {@code Ocp-Apim-Subscription-Key}. */
    SandboxHttpClient(String keyHeader, String apiKey) {
        this.keyHeader = keyHeader;
        this.apiKey = apiKey;
    }

    record Answer(int status, JsonNode json, HttpResponse<byte[]> raw) {
        String text(String field) {
            return json.get(field).asString();
        }
    }

    /** @param headers extra headers: name, value, name, value... */
    Answer post(URI url, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) request.headers(headers);
        return send(request);
    }

    Answer get(URI url) {
        return send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET());
    }

    Answer get(String url) {
        return get(URI.create(url));
    }

    private Answer send(HttpRequest.Builder request) {
        if (apiKey != null) request.header(keyHeader, apiKey);
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String type = response.headers().firstValue("Content-Type").orElse("");
            JsonNode json = type.startsWith("application/json") ? MAPPER.readTree(response.body()) : null;
            return new Answer(response.statusCode(), json, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
