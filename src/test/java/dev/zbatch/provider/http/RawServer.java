package dev.zbatch.provider.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server that reads each request whole, then lets the test write whatever it likes on the
 * socket (a trickle, a gzip body, silence), which the JDK's HttpServer does not allow. One connection per thread.
 */
final class RawServer implements AutoCloseable {

    /** What goes back once a request is read; an exception (e.g. the client went away) closes the connection. */
    @FunctionalInterface
    interface Script {
        void answer(OutputStream out) throws Exception;
    }

    private final ServerSocket socket;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();

    RawServer(Script script) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(() -> accept(script));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Requests read whole so far. */
    int requests() {
        return requests.get();
    }

    /** The first line of each request read, e.g. "GET /v1/status/1 HTTP/1.1". */
    List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    private void accept(Script script) {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                threads.execute(() -> converse(connection, script));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void converse(Socket connection, Script script) {
        try (connection) {
            requestLines.add(readRequest(connection.getInputStream()));
            requests.incrementAndGet();
            script.answer(connection.getOutputStream());
        } catch (Exception clientGone) {
            // the client cancelled or closed: nothing more to say
        }
    }

    /** Reads a request whole; returns its first line. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("the client closed before the end of the request");
            head.write(b);
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        in.readNBytes(length);
        return head.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
    }

    @Override
    public void close() throws IOException {
        socket.close();
        threads.shutdownNow();
    }
}
