package dev.zbatch.provider.segmind;

import dev.zbatch.provider.FetchedImage;
import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.testing.StubServer;
import dev.zbatch.testing.StubServer.Reply;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class SegmindDownloadTest extends SegmindStubFixture {

    private static final byte[] IMAGE = {'R', 'I', 'F', 'F', 1, 2, 3, 4, 'W', 'E', 'B', 'P', (byte) 0xff, 0};

    @Test
    void returnsBytesAndContentTypeAndSendsTheKeyToTheApiHost() {
        stub.on("GET", "/files/a.webp", Reply.bytes(200, IMAGE, "image/webp"));

        FetchedImage image = provider.download(URI.create(url("/files/a.webp")));

        assertThat(image.bytes()).isEqualTo(IMAGE);
        assertThat(image.contentType()).isEqualTo("image/webp");
        assertThat(stub.only().header("x-api-key")).isEqualTo(KEY);
    }

    @Test
    void sendsNoKeyToAnotherHost() {
        stub.on("GET", "/cdn/a.webp", Reply.bytes(200, IMAGE, "image/webp"));

        FetchedImage image = provider.download(URI.create(stub.otherHost() + "/cdn/a.webp"));

        assertThat(image.bytes()).isEqualTo(IMAGE);
        StubServer.Recorded r = stub.only();
        assertThat(r.header("x-api-key")).isNull();
        assertThat(r.headers().values().toString()).doesNotContain(KEY);
    }

    @Test
    void aRedirectToAnotherHostDropsTheKey() {
        stub.on("GET", "/files/moved.webp",
                Reply.empty(302).header("Location", stub.otherHost() + "/cdn/moved.webp"));
        stub.on("GET", "/cdn/moved.webp", Reply.bytes(200, IMAGE, "image/webp"));

        FetchedImage image = provider.download(URI.create(url("/files/moved.webp")));

        assertThat(image.bytes()).isEqualTo(IMAGE);
        assertThat(stub.requests()).hasSize(2);
        assertThat(stub.requests().get(0).header("x-api-key")).isEqualTo(KEY);
        assertThat(stub.requests().get(1).header("x-api-key")).isNull();
    }

    @Test
    void aMissingImageIsTransientWithStatus404() {
        stub.on("GET", "/files/gone.webp", Reply.empty(404));
        var e = fails(() -> provider.download(URI.create(url("/files/gone.webp"))));
        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.getMessage()).contains("expired");
    }

    @Test
    void aServerErrorIsTransient() {
        stub.on("GET", "/files/a.webp", Reply.text(502, "bad gateway"));
        var e = fails(() -> provider.download(URI.create(url("/files/a.webp"))));
        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.httpStatus()).isEqualTo(502);
    }

    @Test
    void aNonHttpUrlIsRefused() {
        var e = fails(() -> provider.download(URI.create("file:///etc/passwd")));
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(stub.requests()).isEmpty();
    }
}
