package dev.zbatch.provider.pixazo;

import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.pixazo.PixazoErrors.Call;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pixazo's transport: one Apache HttpClient 5 async client, used blocking (each call waits on its Future with a
 * hard deadline). No automatic retries and no automatic redirects: a POST whose bytes may have left is never
 * resent, and redirects are followed by hand (GET only) so that the API key never travels to another host.
 */
final class PixazoHttp implements AutoCloseable {

    static final String API_KEY_HEADER = "Ocp-Apim-Subscription-Key";
    static final String WEBHOOK_HEADER = "X-Webhook-URL";
    private static final int MAX_REDIRECTS = 5;
    private static final Logger log = LoggerFactory.getLogger(PixazoHttp.class);

    private final PixazoSettings settings;
    private final PixazoErrors errors;
    private final CloseableHttpAsyncClient client;
    /** The hard cap on one exchange, on top of the client's own connect, lease and response timeouts. */
    private final Duration deadline;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** An answer, the URL that gave it (after redirects) and whether the key went with that last request. */
    record Answer(URI uri, SimpleHttpResponse response, boolean keySent) {
        int status() {
            return response.getCode();
        }

        byte[] body() {
            byte[] b = response.getBodyBytes();
            return b == null ? new byte[0] : b;
        }

        String header(String name) {
            Header h = response.getFirstHeader(name);
            return h == null ? null : h.getValue();
        }
    }

    PixazoHttp(PixazoSettings settings, PixazoErrors errors) {
        this.settings = settings;
        this.errors = errors;
        Duration leaseTimeout = settings.connectTimeout().plus(settings.responseTimeout());
        this.deadline = leaseTimeout.plus(settings.connectTimeout()).plus(settings.responseTimeout().multipliedBy(2))
                .plusSeconds(5);
        PoolingAsyncClientConnectionManager pool = PoolingAsyncClientConnectionManagerBuilder.create()
                .useSystemProperties()       // JDK trust store / TLS settings from -Djavax.net.ssl.*
                .setMaxConnTotal(settings.maxConnections())
                .setMaxConnPerRoute(settings.maxConnections())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setSocketTimeout(Timeout.of(settings.responseTimeout()))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .build();
        this.client = HttpAsyncClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(leaseTimeout))
                        .setResponseTimeout(Timeout.of(settings.responseTimeout()))
                        .setRedirectsEnabled(false)
                        .build())
                .disableAutomaticRetries()   // callers retry; a POST that may have left must never be resent here
                .disableRedirectHandling()   // followed by hand in get(): the key must not follow to other hosts
                .disableCookieManagement()
                .disableAuthCaching()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .setUserAgent("zbatch")
                .useSystemProperties()       // -Dhttps.proxyHost etc. for users behind a proxy
                .build();
        this.client.start();
    }

    /** POST a JSON body to the gateway, with the key, Cache-Control and the webhook header. Never redirected, never retried. */
    Answer postJson(Call call, URI uri, byte[] json) {
        SimpleRequestBuilder b = SimpleRequestBuilder.post(uri)
                .setHeader("Accept", "application/json")
                .setHeader("Cache-Control", "no-cache")
                .setBody(json, ContentType.APPLICATION_JSON);
        boolean keySent = withKey(b);
        if (settings.webhookUrl() != null) {
            b.setHeader(WEBHOOK_HEADER, settings.webhookUrl().toASCIIString());
        }
        return new Answer(uri, execute(call, uri, b.build()), keySent);
    }

    /**
     * GET, following up to {@value #MAX_REDIRECTS} redirects. The key is sent to {@code uri} when
     * {@code keyToFirstHop} is set, and to any hop on the base URL's host (never downgraded from https to http);
     * a redirect elsewhere goes without it.
     */
    Answer get(Call call, URI uri, boolean keyToFirstHop, String accept) {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            SimpleRequestBuilder b = SimpleRequestBuilder.get(current).setHeader("Accept", accept);
            boolean trusted = sameHost(current, settings.baseUrl()) || keyToFirstHop && hop == 0;
            boolean keySent = false;
            if (trusted) {
                keySent = withKey(b);
                b.setHeader("Cache-Control", "no-cache");
            }
            Answer answer = new Answer(current, execute(call, current, b.build()), keySent);
            if (!isRedirect(answer.status())) {
                return answer;
            }
            String location = answer.header("Location");
            if (location == null || location.isBlank()) {
                throw errors.protocol(call, current, answer.status(), "redirect without a Location header", null);
            }
            if (hop >= MAX_REDIRECTS) {
                throw errors.protocol(call, uri, answer.status(), "more than " + MAX_REDIRECTS + " redirects", null);
            }
            URI next;
            try {
                next = current.resolve(location.strip());
            } catch (IllegalArgumentException bad) {
                throw errors.protocol(call, current, answer.status(), "unusable redirect Location", bad);
            }
            if (!isHttp(next)) {
                throw errors.protocol(call, current, answer.status(), "redirect to a non-http(s) URL", null);
            }
            log.debug("Pixazo {}: HTTP {} redirect to {}", call.label, answer.status(), PixazoErrors.describe(next));
            current = next;
        }
    }

    private boolean withKey(SimpleRequestBuilder b) {
        if (settings.hasApiKey()) {
            b.setHeader(API_KEY_HEADER, settings.apiKey());
            return true;
        }
        return false;
    }

    private SimpleHttpResponse execute(Call call, URI uri, SimpleHttpRequest request) {
        log.debug("Pixazo {}: {} {}", call.label, request.getMethod(), PixazoErrors.describe(uri));
        Future<SimpleHttpResponse> future;
        if (closed.get()) {
            throw clientClosed(call, null);
        }
        try {
            future = client.execute(SimpleRequestProducer.create(request), SimpleResponseConsumer.create(), null);
        } catch (IllegalStateException notRunning) {
            throw clientClosed(call, notRunning);
        }
        try {
            return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw errors.forFailure(call, uri, e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw errors.forFailure(call, uri, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw errors.forFailure(call, uri, e);
        } catch (CancellationException e) {
            throw errors.forFailure(call, uri, e);
        }
    }

    private ProviderException clientClosed(Call call, Throwable cause) {
        return errors.exception(ProviderException.Kind.TRANSIENT, 0,
                "Pixazo " + call.label + ": the HTTP client is shut down; nothing was sent", null, cause);
    }

    /** Same host name (case-insensitive), and not a downgrade from https to http. */
    static boolean sameHost(URI candidate, URI trusted) {
        if (candidate.getHost() == null || trusted.getHost() == null) {
            return false;
        }
        boolean downgrade = "https".equalsIgnoreCase(trusted.getScheme())
                && !"https".equalsIgnoreCase(candidate.getScheme());
        return !downgrade && candidate.getHost().toLowerCase(Locale.ROOT)
                .equals(trusted.getHost().toLowerCase(Locale.ROOT));
    }

    static boolean isHttp(URI uri) {
        return PixazoSettings.isHttp(uri);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.close(CloseMode.GRACEFUL);
        }
    }
}
