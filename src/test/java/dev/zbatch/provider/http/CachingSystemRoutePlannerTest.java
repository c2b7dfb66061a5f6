package dev.zbatch.provider.http;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CachingSystemRoutePlannerTest {

    /** Sends "api.example.test" through a proxy, anything else direct; counts the questions. */
    private static final class CountingSelector extends ProxySelector {
        final AtomicInteger asked = new AtomicInteger();

        @Override
        public List<Proxy> select(URI uri) {
            asked.incrementAndGet();
            return uri.getHost().equals("api.example.test")
                    ? List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("proxy.example.test", 3128)))
                    : List.of(Proxy.NO_PROXY);
        }

        @Override
        public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        }
    }

    private final CountingSelector selector = new CountingSelector();
    private final CachingSystemRoutePlanner planner = new CachingSystemRoutePlanner(selector);

    private HttpRoute route(String scheme, String host) throws Exception {
        return planner.determineRoute(new HttpHost(scheme, host, -1), HttpClientContext.create());
    }

    @Test
    void eachHostIsLookedUpOnce() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpRoute api = route("https", "api.example.test");
            assertThat(api.getProxyHost()).isEqualTo(new HttpHost("proxy.example.test", 3128));
            assertThat(api.getTargetHost()).isEqualTo(new HttpHost("https", "api.example.test", 443));
            assertThat(route("https", "cdn.example.test").getProxyHost()).isNull();
        }
        assertThat(selector.asked).hasValue(2);
    }

    @Test
    void hostsPastTheLimitAreLookedUpEveryTime() throws Exception {
        for (int i = 0; i < CachingSystemRoutePlanner.MAX_HOSTS; i++) {
            route("https", "cdn" + i + ".example.test");
        }
        int asked = selector.asked.get();

        assertThat(route("https", "api.example.test").getProxyHost()).isNotNull();
        assertThat(route("https", "api.example.test").getProxyHost()).isNotNull();
        assertThat(selector.asked.get() - asked).isEqualTo(2);
    }
}
