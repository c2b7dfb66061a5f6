package dev.zbatch.sandbox;

import dev.zbatch.sandbox.SandboxHttpClient.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox's HTTP server on raw sockets: what a client's connection sees, byte by byte. */
class SandboxHttpServerTest {

    private static final String V2_BODY = "{\"prompt\":\"server test\",\"width\":256,\"height\":256}";
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

    private final List<SandboxServer> servers = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final SandboxHttpClient segmind = new SandboxHttpClient("key");

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) socket.close();
        servers.forEach(SandboxServer::close);
    }

    private SandboxServer start(SandboxSettings settings) {
        SandboxServer server = SandboxServer.start(settings.withLatency(Duration.ZERO, Duration.ZERO));
        servers.add(server);
        return server;
    }

    private Socket connect(SandboxServer server) throws IOException {
        Socket socket = new Socket(server.baseUrl().getHost(), server.baseUrl().getPort());
        socket.setSoTimeout(5_000); // a connection left open fails the read with a timeout
        sockets.add(socket);
        return socket;
    }

    private static void sendGet(Socket socket, String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nx-api-key: key\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Reads one answer's head (up to the blank line). */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("end of stream in the head: " + head);
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static int contentLength(String head) {
        Matcher matcher = CONTENT_LENGTH.matcher(head);
        assertThat(matcher.find()).as("Content-Length in %s", head).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private String imagePath(SandboxServer server) {
        Answer submitted = segmind.post(server.baseUrl().resolve("/v2/z-image-turbo"), V2_BODY);
        Answer result = segmind.get(submitted.text("response_url"));
        return URI.create(result.text("output")).getPath();
    }

    @Test
    void answersSeveralRequestsOnOneKeptAliveConnection() throws IOException {
        SandboxServer server = start(SandboxSettings.defaults());
        Socket socket = connect(server);
        InputStream in = socket.getInputStream();
        for (int i = 0; i < 3; i++) {
            sendGet(socket, "/sandbox/stats");
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Type: application/json");
            assertThat(in.readNBytes(contentLength(head))).startsWith((byte) '{');
        }
    }

    @Test
    void aTruncatedImageIsHalfItsDeclaredLengthThenACleanEndOfStream() throws IOException {
        SandboxServer server = start(SandboxSettings.defaults().withTruncateDownloadRate(1.0));
        String path = imagePath(server);
        Socket socket = connect(server);
        sendGet(socket, path);
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        assertThat(head).startsWith("HTTP/1.1 200");
        int declared = contentLength(head);
        byte[] body = in.readAllBytes(); // end of stream (FIN), not a reset nor a timeout
        assertThat(body.length).isEqualTo(declared / 2);
    }

    @Test
    void aDroppedAnswerClosesTheConnectionWithNothingSent() throws IOException {
        SandboxServer server = start(SandboxSettings.defaults().withDropAfterAccept(1.0));
        Socket socket = connect(server);
        byte[] body = V2_BODY.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(("POST /v2/z-image-turbo HTTP/1.1\r\nHost: localhost\r\nx-api-key: key\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(body);
        assertThat(socket.getInputStream().readAllBytes()).isEmpty();
        assertThat(server.stats().droppedAnswers()).isEqualTo(1);
    }

    @Test
    void aSlowAnswerOnOneConnectionDoesNotDelayAnotherConnection() throws IOException {
        Duration delay = Duration.ofSeconds(2);
        SandboxServer server = start(SandboxSettings.defaults().withSlowAnswer(delay, 1.0));
        String path = imagePath(server);
        Socket slow = connect(server);
        sendGet(slow, path); // image downloads may be slow: this one is
        Socket other = connect(server);
        long started = System.nanoTime();
        sendGet(other, "/sandbox/stats"); // never slowed
        assertThat(readHead(other.getInputStream())).startsWith("HTTP/1.1 200");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(delay.dividedBy(2));
        assertThat(readHead(slow.getInputStream())).startsWith("HTTP/1.1 200");
    }
}
