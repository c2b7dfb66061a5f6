package dev.zbatch.provider.http;

import java.net.URI;

/** A provider's base URL, and the URLs made from it or resolved against it. */
public final class BaseUrl {

    private final String withoutTrailingSlash;
    /** The base URL with at least "/" as its path: java.net.URI resolves "a/b" against "http://h" as "http://ha/b". */
    private final URI resolveBase;

    public BaseUrl(URI baseUrl) {
        String base = baseUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        this.withoutTrailingSlash = base;
        this.resolveBase = baseUrl.getRawPath() == null || baseUrl.getRawPath().isEmpty()
                ? baseUrl.resolve("/") : baseUrl;
    }

    /** The base URL without trailing slashes, then {@code path} (which starts with "/"). */
    public URI path(String path) {
        return URI.create(withoutTrailingSlash + path);
    }

    /**
     * {@code url} resolved against the base URL (an absolute one as it is).
     *
     * @throws IllegalArgumentException when {@code url} is not a URI
     */
    public URI resolve(String url) {
        return resolveBase.resolve(url);
    }

    /** {@code uri} when absolute, else resolved against the base URL. */
    public URI absolute(URI uri) {
        return uri.isAbsolute() ? uri : resolveBase.resolve(uri);
    }
}
