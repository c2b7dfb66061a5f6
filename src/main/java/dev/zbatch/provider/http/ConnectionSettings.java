package dev.zbatch.provider.http;

import java.net.URI;
import java.time.Duration;

/** How to reach a provider's API: what {@link ProviderHttp} needs of a provider's settings. */
public interface ConnectionSettings {

    /** The API root; the key is sent to this host. */
    URI baseUrl();

    /** The API key, or null or blank to send none. */
    String apiKey();

    /** TCP/TLS connect timeout. */
    Duration connectTimeout();

    /** How long to wait for the server between bytes of an answer once the request is sent. */
    Duration responseTimeout();

    /** Pooled connections, per host and in total. */
    int maxConnections();
}
