package dev.zbatch.provider.http;

import org.apache.hc.client5.http.impl.routing.SystemDefaultRoutePlanner;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.net.ProxySelector;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HttpClient's route planner for the JVM's proxy settings ({@code -Dhttps.proxyHost}, {@code -Dhttp.nonProxyHosts},
 * …, through a {@link ProxySelector}), asking the selector once per target host rather than on every request: the
 * JDK's selector re-reads the system properties and parses a URI each time. So proxy settings changed while a
 * client lives do not reach it.
 */
final class CachingSystemRoutePlanner extends SystemDefaultRoutePlanner {

    /** Hosts past this many are looked up on every request (a run talks to a handful: the API and its CDNs). */
    static final int MAX_HOSTS = 64;

    private final Map<HttpHost, Optional<HttpHost>> proxyByTarget = new ConcurrentHashMap<>();

    CachingSystemRoutePlanner(ProxySelector proxySelector) {
        super(proxySelector);
    }

    @Override
    protected HttpHost determineProxy(HttpHost target, HttpContext context) throws HttpException {
        Optional<HttpHost> known = proxyByTarget.get(target);
        if (known != null) {
            return known.orElse(null);
        }
        HttpHost proxy = super.determineProxy(target, context);
        if (proxyByTarget.size() < MAX_HOSTS) {
            proxyByTarget.put(target, Optional.ofNullable(proxy));
        }
        return proxy;
    }
}
