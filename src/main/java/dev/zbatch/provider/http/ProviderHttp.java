package dev.zbatch.provider.http;

import dev.zbatch.provider.FetchedImage;
import dev.zbatch.provider.ProviderException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.classic.RequestFailedException;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A provider's transport: one classic (blocking) Apache HttpClient 5 client, so that the calling thread does its own
 * socket I/O, with a hard deadline on each exchange on top of the client's own timeouts. No automatic retries and no
 * automatic redirects: a POST whose bytes may have left is never resent, and redirects are followed by hand (GET
 * only) so that the API key never travels to another host.
 * What differs between providers' APIs comes in {@link Conventions}; failures are classified by {@link HttpErrors}.
 */
public final class ProviderHttp implements AutoCloseable {

    public static final String JSON = "application/json";
    public static final String IMAGE_ACCEPT = "image/*, */*;q=0.5";
    private static final int MAX_REDIRECTS = 5;
    private static final Logger log = LoggerFactory.getLogger(ProviderHttp.class);
    /** Cancels the exchanges that outlive their deadline (up to a tick late); one daemon thread for every client. */
    private static final DeadlineWatchdog DEADLINES =
            new DeadlineWatchdog("zbatch-http-deadline", Duration.ofMillis(200));

    /**
     * How a provider's API wants its requests.
     *
     * @param apiKeyHeader            the header that carries the API key
     * @param postHeaders             extra headers on every POST
     * @param trustedGetHeaders       extra headers on a GET to a host the key may go to (set with or without a key)
     * @param keyFollowsOnPollHost    whether a keyed GET's redirect that stays on the host of its first hop (e.g.
     *                                a poll URL on another host than the base URL) still carries the key
     */
    public record Conventions(String apiKeyHeader, Map<String, String> postHeaders,
                              Map<String, String> trustedGetHeaders, boolean keyFollowsOnPollHost) {
        public Conventions {
            Objects.requireNonNull(apiKeyHeader, "apiKeyHeader");
            postHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(postHeaders));
            trustedGetHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(trustedGetHeaders));
        }
    }

    /**
     * An answer, the URL that gave it (after redirects) and whether the key went with that last request.
     *
     * @param body    the whole body, decoded when it came gzip- or deflate-encoded; empty when there was none
     * @param headers the answer's headers, in order
     */
    public record Answer(URI uri, int status, byte[] body, List<Header> headers, boolean keySent) {
        public Answer {
            body = body == null ? new byte[0] : body;
            headers = List.copyOf(headers);
        }

        /** The header's first value (names compare case-insensitively), or null. */
        public String header(String name) {
            for (Header header : headers) {
                if (header.getName().equalsIgnoreCase(name)) {
                    return header.getValue();
                }
            }
            return null;
        }
    }

    private final URI baseUrl;
    private final String apiKey;
    private final Conventions conventions;
    private final HttpErrors errors;
    private final CloseableHttpClient client;
    /** The hard cap on one exchange, on top of the client's own connect, lease and response timeouts. */
    private final Duration deadline;
    private final AtomicBoolean closed = new AtomicBoolean();

    public ProviderHttp(ConnectionSettings settings, Conventions conventions, HttpErrors errors) {
        this.baseUrl = settings.baseUrl();
        this.apiKey = settings.apiKey();
        this.conventions = Objects.requireNonNull(conventions, "conventions");
        this.errors = Objects.requireNonNull(errors, "errors");
        Duration leaseTimeout = leaseTimeout(settings);
        this.deadline = deadline(settings);
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .useSystemProperties()       // JDK trust store / TLS settings from -Djavax.net.ssl.*
                .setMaxConnTotal(settings.maxConnections())
                .setMaxConnPerRoute(settings.maxConnections())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setSocketTimeout(Timeout.of(settings.responseTimeout()))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                // the TLS handshake is part of connecting, as in the async client (not the 3 min socket default)
                .setDefaultTlsConfig(TlsConfig.custom().setHandshakeTimeout(Timeout.of(settings.connectTimeout()))
                        .build())
                .build();
        this.client = HttpClients.custom()
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
                .useSystemProperties()       // e.g. -Dhttp.proxyUser for users behind a proxy
                // -Dhttps.proxyHost etc., as useSystemProperties() would, looked up once per host
                .setRoutePlanner(new CachingSystemRoutePlanner(ProxySelector.getDefault()))
                .build();                    // content compression is on: gzip and deflate answers are decoded
    }

    private static Duration leaseTimeout(ConnectionSettings settings) {
        return settings.connectTimeout().plus(settings.responseTimeout());
    }

    /** The hard cap on one exchange: longer than a lease, a connect and a slow answer together. */
    static Duration deadline(ConnectionSettings settings) {
        return leaseTimeout(settings).plus(settings.connectTimeout())
                .plus(settings.responseTimeout().multipliedBy(2)).plusSeconds(5);
    }

    /** POST a JSON body, with the key and the provider's POST headers. Never redirected, never retried. */
    public Answer postJson(Call call, URI uri, byte[] json) {
        return postJson(call, uri, json, JSON);
    }

    /** {@link #postJson(Call, URI, byte[])} with another Accept header (e.g. an API that answers with an image). */
    public Answer postJson(Call call, URI uri, byte[] json, String accept) {
        HttpPost post = new HttpPost(uri);
        post.setHeader("Accept", accept);
        post.setEntity(new ByteArrayEntity(json, ContentType.APPLICATION_JSON));
        conventions.postHeaders().forEach(post::setHeader);
        boolean keySent = withKey(post);
        return execute(call, uri, post, keySent);
    }

    /**
     * GET, following up to {@value #MAX_REDIRECTS} redirects. The key is sent to {@code uri} when
     * {@code keyToFirstHop} is set, and to any hop on the base URL's host; with
     * {@link Conventions#keyFollowsOnPollHost()}, also to a redirect target on the host of {@code uri}. Never on a
     * downgrade from https to http; a redirect elsewhere goes without it.
     */
    public Answer get(Call call, URI uri, boolean keyToFirstHop, String accept) {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            HttpGet request = new HttpGet(current);
            request.setHeader("Accept", accept);
            boolean trusted = sameHost(current, baseUrl) || keyToFirstHop
                    && (hop == 0 || conventions.keyFollowsOnPollHost() && sameHost(current, uri));
            boolean keySent = false;
            if (trusted) {
                keySent = withKey(request);
                conventions.trustedGetHeaders().forEach(request::setHeader);
            }
            Answer answer = execute(call, current, request, keySent);
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
            log.debug("{} {}: HTTP {} redirect to {}", errors.provider(), call.label(), answer.status(),
                    HttpErrors.describe(next));
            current = next;
        }
    }

    /**
     * GET an image. The key goes only to the API's own host, never to a CDN. Any answer but a 200 is a
     * {@link ProviderException}; the caller checks the bytes, not the declared Content-Type.
     */
    public FetchedImage download(URI uri) {
        if (!isHttp(uri)) {
            throw errors.protocol(Call.DOWNLOAD, uri, 0, "not an http(s) URL", null);
        }
        Answer answer = get(Call.DOWNLOAD, uri, false, IMAGE_ACCEPT);
        if (answer.status() == 200) {
            return new FetchedImage(answer.body(), answer.header("Content-Type"));
        }
        if (answer.status() >= 200 && answer.status() <= 299) {
            throw errors.protocol(Call.DOWNLOAD, answer.uri(), answer.status(),
                    "unexpected HTTP " + answer.status() + " for an image", null);
        }
        throw errors.forStatus(Call.DOWNLOAD, answer.uri(), answer.status(), answer.body(), answer.keySent(),
                answer::header);
    }

    /** The answer's body as a JSON object; PROTOCOL when it is not one. */
    public JsonNode jsonObject(Call call, Answer answer) {
        JsonNode node;
        try {
            node = errors.json().readTree(answer.body());
        } catch (JacksonException e) {
            throw errors.protocol(call, answer.uri(), answer.status(), "the answer is not JSON: "
                    + HttpErrors.truncate(errors.redact(new String(answer.body(), StandardCharsets.UTF_8))), e);
        }
        if (node == null || !node.isObject()) {
            throw errors.protocol(call, answer.uri(), answer.status(), "the answer is not a JSON object: "
                    + HttpErrors.truncate(errors.redact(new String(answer.body(), StandardCharsets.UTF_8))), null);
        }
        return node;
    }

    private boolean withKey(HttpUriRequestBase request) {
        if (apiKey != null && !apiKey.isBlank()) {
            request.setHeader(conventions.apiKeyHeader(), apiKey);
            return true;
        }
        return false;
    }

    /** Runs one exchange on the calling thread; the deadline or {@link #close()} cancels it. */
    private Answer execute(Call call, URI uri, HttpUriRequestBase request, boolean keySent) {
        if (log.isDebugEnabled()) {
            log.debug("{} {}: {} {}", errors.provider(), call.label(), request.getMethod(), HttpErrors.describe(uri));
        }
        if (closed.get()) {
            throw clientClosed(call, null);
        }
        DeadlineWatchdog.Exchange exchange = DEADLINES.start(this, request, deadline);
        try {
            return client.execute(request, response -> answer(uri, response, keySent));
        } catch (IOException | IllegalStateException e) {
            // IllegalStateException: the pool is shut down, or the exchange was cancelled before it was sent
            throw failure(call, uri, request, e);
        } finally {
            DEADLINES.done(exchange);
        }
    }

    private static Answer answer(URI uri, ClassicHttpResponse response, boolean keySent) throws IOException {
        HttpEntity entity = response.getEntity();
        byte[] body = entity == null ? null : EntityUtils.toByteArray(entity);
        return new Answer(uri, response.getCode(), body, List.of(response.getHeaders()), keySent);
    }

    /**
     * Only the deadline and {@link #close()} cancel a request. A request cancelled by close() before it was sent
     * fails with an IllegalStateException or a RequestFailedException; one cut by the deadline counts as a
     * timeout, whatever the client threw when its connection was closed under it.
     */
    private ProviderException failure(Call call, URI uri, HttpUriRequestBase request, Exception e) {
        if (closed.get() && (e instanceof IllegalStateException || e instanceof RequestFailedException)) {
            return clientClosed(call, e);
        }
        if (request.isCancelled() && !closed.get()) {
            TimeoutException timeout = new TimeoutException("no complete answer within " + deadline.toSeconds() + " s");
            timeout.addSuppressed(e);
            return errors.forFailure(call, uri, timeout);
        }
        return errors.forFailure(call, uri, e);
    }

    private ProviderException clientClosed(Call call, Throwable cause) {
        return errors.exception(ProviderException.Kind.TRANSIENT, 0,
                errors.provider() + " " + call.label() + ": the HTTP client is shut down; nothing was sent", null, cause);
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

    /** An absolute http or https URL with a host. */
    public static boolean isHttp(URI uri) {
        return uri != null && uri.isAbsolute() && uri.getHost() != null
                && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** Calls under way fail now (rather than at their timeouts); later calls fail without sending anything. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            DEADLINES.cancelAll(this);
            client.close(CloseMode.GRACEFUL);
        }
    }
}
