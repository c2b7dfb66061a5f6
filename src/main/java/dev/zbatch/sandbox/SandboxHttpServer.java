package dev.zbatch.sandbox;

import com.sun.net.httpserver.HttpHandler;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultBHttpServerConnection;
import org.apache.hc.core5.http.impl.io.HttpService;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.http.protocol.HttpProcessorBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sandbox's HTTP/1.1 server: Apache HttpCore 5's classic (blocking) connection and {@link HttpService}, with one
 * thread per keep-alive connection that reads each request, runs the handler and writes the answer itself (no
 * hand-off per request, unlike the JDK server). Handlers are JDK {@link HttpHandler}s, given a
 * {@link CoreHttpExchange}.
 * <p>
 * We run the accept loop ourselves rather than HttpCore's {@code ServerBootstrap}: that way the threads are named
 * {@code zbatch-sandbox-…} (the bench counts them by name) and a handler can close its connection gracefully (a
 * dropped answer, a truncated body), which the bootstrap's workers do only with a reset.
 */
final class SandboxHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxHttpServer.class);
    private static final AtomicInteger SERVERS = new AtomicInteger();

    /**
     * Connection buffers: an answer up to this size (placeholder images are smaller) goes out with its headers in
     * one write, instead of the headers first and then the body.
     */
    private static final int BUFFER_BYTES = 256 * 1024;
    private static final Http1Config HTTP1 = Http1Config.custom()
            .setBufferSize(BUFFER_BYTES).setChunkSizeHint(BUFFER_BYTES).build();

    private final ServerSocket serverSocket;
    private volatile HttpHandler handler;
    private final ExecutorService threads;
    private final Set<DefaultBHttpServerConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private SandboxHttpServer(ServerSocket serverSocket) {
        this.serverSocket = serverSocket;
        CustomizableThreadFactory named = new CustomizableThreadFactory(
                "zbatch-sandbox-" + SERVERS.incrementAndGet() + "-");
        named.setDaemon(true);
        // one thread per connection (and the accept loop): a slow answer holds up only its own connection
        this.threads = Executors.newCachedThreadPool(named);
    }

    /** Listens on {@code address:port} (0: any free port); accepts connections once {@link #start started}. */
    static SandboxHttpServer bind(InetAddress address, int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), 256);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new SandboxHttpServer(socket);
    }

    /** Starts accepting connections; each request goes to {@code handler}. */
    void start(HttpHandler handler) {
        this.handler = handler;
        threads.execute(this::acceptLoop);
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) log.warn("Sandbox: accept failed", e);
                return;
            }
            try {
                threads.execute(() -> serve(socket));
            } catch (RuntimeException e) { // rejected: closing
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        DefaultBHttpServerConnection conn = new DefaultBHttpServerConnection(URIScheme.HTTP.id, HTTP1);
        try {
            // headers and body may leave as separate writes: without this the body waits for the delayed ACK.
            // No read timeout: a timed read costs a failed read and a poll more per request. Idle connections
            // stay open until the client or close() closes them.
            socket.setTcpNoDelay(true);
            conn.bind(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            return;
        }
        connections.add(conn);
        HttpService service = new HttpService(HttpProcessorBuilder.create().build(),
                (request, trigger, context) -> handler.handle(new CoreHttpExchange(request, trigger, conn)));
        try {
            if (closed) return; // close() may have run before this connection was registered
            while (!closed && conn.isOpen()) service.handleRequest(conn, HttpCoreContext.create());
        } catch (ConnectionClosedException | SocketException e) {
            // the client closed the connection, or close() did
        } catch (IOException | HttpException | RuntimeException e) {
            if (!closed) log.debug("Sandbox: connection ended: {}", e.toString());
        } finally {
            connections.remove(conn);
            conn.close(CloseMode.GRACEFUL);
        }
    }

    /** Stops listening, cuts off every connection (calls in progress too) and waits briefly for the threads. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(serverSocket);
        for (DefaultBHttpServerConnection conn : connections) conn.close(CloseMode.IMMEDIATE);
        threads.shutdownNow(); // interrupts handlers that are sleeping (slow answers, sync waits)
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
