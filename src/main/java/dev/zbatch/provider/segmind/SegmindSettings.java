package dev.zbatch.provider.segmind;

import dev.zbatch.provider.http.ConnectionSettings;
import dev.zbatch.provider.http.ProviderHttp;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Segmind.
 *
 * @param baseUrl         the API root, e.g. {@code https://api.segmind.com} (a proxy, the sandbox or a test stub)
 * @param apiKey          sent as {@code x-api-key}; null or blank sends no key (the sandbox needs none; the real API
 *                        then answers 401)
 * @param connectTimeout  TCP/TLS connect timeout
 * @param responseTimeout how long to wait for the server between bytes of an answer once the request is sent
 * @param maxConnections  pooled connections, per host and in total
 */
public record SegmindSettings(URI baseUrl, String apiKey, Duration connectTimeout, Duration responseTimeout,
                              int maxConnections) implements ConnectionSettings {

    public static final URI DEFAULT_BASE_URL = URI.create("https://api.segmind.com");
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_CONNECTIONS = 16;

    public SegmindSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (!ProviderHttp.isHttp(baseUrl)) {
            throw new IllegalArgumentException("Segmind base URL must be an absolute http(s) URL: " + baseUrl);
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(responseTimeout, "responseTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
    }

    /** The real API with sensible timeouts. */
    public static SegmindSettings defaults(String apiKey) {
        return new SegmindSettings(DEFAULT_BASE_URL, apiKey, DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT,
                DEFAULT_MAX_CONNECTIONS);
    }

    public SegmindSettings withBaseUrl(URI url) {
        return new SegmindSettings(url, apiKey, connectTimeout, responseTimeout, maxConnections);
    }

    public SegmindSettings withTimeouts(Duration connect, Duration response) {
        return new SegmindSettings(baseUrl, apiKey, connect, response, maxConnections);
    }

    boolean hasApiKey() {
        return apiKey != null && !apiKey.isBlank();
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "SegmindSettings[baseUrl=" + baseUrl + ", apiKey=" + (hasApiKey() ? "***" : "(none)")
                + ", connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout
                + ", maxConnections=" + maxConnections + "]";
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
    }
}
