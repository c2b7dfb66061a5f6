package dev.zbatch.sandbox;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.HttpServerConnection;
import org.apache.hc.core5.http.io.HttpServerRequestHandler.ResponseTrigger;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.apache.hc.core5.io.CloseMode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * A JDK {@link HttpExchange} over one HttpCore 5 classic request: the endpoints are written against the JDK's small
 * exchange API, and {@link SandboxHttpServer} serves them on HttpCore, which answers on the connection's own thread
 * (the JDK server hands each request to another). The body is buffered and the answer written by {@link #close()}, with the JDK's
 * meanings kept: {@code sendResponseHeaders} length -1 = no body, 0 = whatever is written, n = exactly n bytes
 * declared; fewer than n bytes written means a truncated body, after which the connection is closed (the client
 * reads a short body, then end of stream); closing without having sent headers closes the connection with no answer.
 * Only what the endpoints use is supported: no context, attributes, principal or replaced streams.
 */
final class CoreHttpExchange extends HttpExchange {

    private final ClassicHttpRequest request;
    private final ResponseTrigger trigger;
    private final HttpServerConnection connection;
    private final URI uri;
    private final Headers responseHeaders = new Headers();
    private Headers requestHeaders;
    private int code = -1;
    private long length;
    private Body body;
    private boolean closed;

    CoreHttpExchange(ClassicHttpRequest request, ResponseTrigger trigger, HttpServerConnection connection) {
        this.request = request;
        this.trigger = trigger;
        this.connection = connection;
        this.uri = URI.create(request.getRequestUri());
    }

    @Override
    public Headers getRequestHeaders() {
        if (requestHeaders == null) {
            requestHeaders = new Headers(); // case-insensitive names
            for (Header header : request.getHeaders()) requestHeaders.add(header.getName(), header.getValue());
        }
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return request.getMethod();
    }

    @Override
    public InputStream getRequestBody() {
        HttpEntity entity = request.getEntity();
        if (entity == null) return InputStream.nullInputStream();
        try {
            return entity.getContent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        if (code >= 0) throw new IOException("headers already sent");
        code = rCode;
        length = responseLength;
        body = new Body(responseLength > 0 ? (int) Math.min(responseLength, Integer.MAX_VALUE - 8) : 256);
    }

    @Override
    public OutputStream getResponseBody() {
        if (body == null) throw new IllegalStateException("sendResponseHeaders not called");
        return body;
    }

    @Override
    public int getResponseCode() {
        return code;
    }

    /** Writes the answer (once); see the class comment. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            if (code < 0) {
                connection.close(); // no answer: the client sees the connection closed
                return;
            }
            BasicClassicHttpResponse response = new BasicClassicHttpResponse(code);
            responseHeaders.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
            boolean head = "HEAD".equals(request.getMethod());
            long declared = length > 0 ? length : length == 0 ? body.size() : 0;
            if (!head) {
                response.setHeader("Content-Length", Long.toString(declared));
                if (body.size() > 0) response.setEntity(body.entity());
            }
            trigger.submitResponse(response);
            if (!head && body.size() < declared) connection.close(); // truncated: end of stream after the short body
        } catch (IOException | HttpException e) {
            connection.close(CloseMode.IMMEDIATE); // the client went away mid-answer
        }
    }

    @Override
    public HttpContext getHttpContext() {
        throw new UnsupportedOperationException();
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return (InetSocketAddress) connection.getRemoteAddress();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return (InetSocketAddress) connection.getLocalAddress();
    }

    @Override
    public String getProtocol() {
        return request.getVersion() == null ? "HTTP/1.1" : request.getVersion().format();
    }

    @Override
    public Object getAttribute(String name) {
        return null;
    }

    @Override
    public void setAttribute(String name, Object value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        throw new UnsupportedOperationException();
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }

    /** The buffered response body, handed to HttpCore without a copy. */
    private static final class Body extends ByteArrayOutputStream {
        Body(int size) {
            super(size);
        }

        HttpEntity entity() {
            return new ByteArrayEntity(buf, 0, count, null);
        }
    }
}
