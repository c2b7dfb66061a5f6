package dev.zbatch.provider.pixazo;

import dev.zbatch.provider.http.ConnectionSettings;
import dev.zbatch.provider.http.ProviderHttp;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Pixazo's gateway.
 *
 * @param baseUrl         the gateway root, e.g. {@code https://gateway.pixazo.ai} (a proxy or a test stub)
 * @param apiKey          sent as {@code Ocp-Apim-Subscription-Key}; null or blank sends no key (the gateway then
 *                        answers 401)
 * @param connectTimeout  TCP/TLS connect timeout
 * @param responseTimeout how long to wait for the server between bytes of an answer once the request is sent
 * @param maxConnections  pooled connections, per host and in total
 * @param webhookUrl      sent as {@code X-Webhook-URL} on every submit, or null to only poll. It usually carries
 *                        a secret token ({@link PixazoWebhookReceiver#callbackUrl(URI)}), so it is never printed
 */
public record PixazoSettings(URI baseUrl, String apiKey, Duration connectTimeout, Duration responseTimeout,
                             int maxConnections, URI webhookUrl) implements ConnectionSettings {

    public static final URI DEFAULT_BASE_URL = URI.create("https://gateway.pixazo.ai");
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_CONNECTIONS = 16;

    public PixazoSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (!ProviderHttp.isHttp(baseUrl)) {
            throw new IllegalArgumentException("Pixazo base URL must be an absolute http(s) URL: " + baseUrl);
        }
        if (webhookUrl != null && !ProviderHttp.isHttp(webhookUrl)) {
            // the URL itself is not echoed: it may carry the receiver's secret token
            throw new IllegalArgumentException("Pixazo webhook URL must be an absolute http(s) URL");
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(responseTimeout, "responseTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
    }

    /** The real gateway with sensible timeouts and no webhook. */
    public static PixazoSettings defaults(String apiKey) {
        return new PixazoSettings(DEFAULT_BASE_URL, apiKey, DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT,
                DEFAULT_MAX_CONNECTIONS, null);
    }

    public PixazoSettings withBaseUrl(URI url) {
        return new PixazoSettings(url, apiKey, connectTimeout, responseTimeout, maxConnections, webhookUrl);
    }

    public PixazoSettings withTimeouts(Duration connect, Duration response) {
        return new PixazoSettings(baseUrl, apiKey, connect, response, maxConnections, webhookUrl);
    }

    public PixazoSettings withMaxConnections(int connections) {
        return new PixazoSettings(baseUrl, apiKey, connectTimeout, responseTimeout, connections, webhookUrl);
    }

    /** @param url the callback URL, or null for none */
    public PixazoSettings withWebhookUrl(URI url) {
        return new PixazoSettings(baseUrl, apiKey, connectTimeout, responseTimeout, maxConnections, url);
    }

    boolean hasApiKey() {
        return apiKey != null && !apiKey.isBlank();
    }

    /** Never prints the key, nor the webhook URL's path (it holds the receiver's secret token). */
    @Override
    public String toString() {
        return "PixazoSettings[baseUrl=" + baseUrl + ", apiKey=" + (hasApiKey() ? "***" : "(none)")
                + ", connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout
                + ", maxConnections=" + maxConnections + ", webhookUrl="
                + (webhookUrl == null ? "(none)" : webhookUrl.getScheme() + "://" + webhookUrl.getRawAuthority() + "/***")
                + "]";
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
    }
}
