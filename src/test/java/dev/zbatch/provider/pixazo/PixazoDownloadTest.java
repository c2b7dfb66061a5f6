package dev.zbatch.provider.pixazo;

import dev.zbatch.provider.FetchedImage;
import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.testing.StubServer;
import dev.zbatch.testing.StubServer.Reply;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** The provider's base URL is http://127.0.0.1:port; http://localhost:port is "another host" (the CDN). */
class PixazoDownloadTest extends PixazoStubFixture {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 1, 2, 3};

    @Test
    void theKeyGoesToTheGatewaysOwnHost() {
        stub.on("GET", "/files/a.png", Reply.bytes(200, PNG, "image/png"));

        FetchedImage image = provider.download(URI.create(url("/files/a.png")));

        assertThat(image.bytes()).isEqualTo(PNG);
        assertThat(image.contentType()).isEqualTo("image/png");
        assertThat(stub.only().header("Ocp-Apim-Subscription-Key")).isEqualTo(KEY);
    }

    @Test
    void noKeyGoesToAnotherHostAndOctetStreamIsAccepted() {
        stub.on("GET", "/v1/req/output.ext", Reply.bytes(200, PNG, "application/octet-stream"));

        FetchedImage image = provider.download(URI.create(stub.otherHost() + "/v1/req/output.ext"));

        assertThat(image.bytes()).isEqualTo(PNG);
        assertThat(image.contentType()).isEqualTo("application/octet-stream");
        StubServer.Recorded r = stub.only();
        assertThat(r.header("Ocp-Apim-Subscription-Key")).isNull();
        assertThat(r.headers().toString()).doesNotContain(KEY);
    }

    @Test
    void aRedirectToAnotherHostDropsTheKey() {
        stub.on("GET", "/files/moved.png", Reply.empty(302).header("Location", stub.otherHost() + "/cdn/moved.png"));
        stub.on("GET", "/cdn/moved.png", Reply.bytes(200, PNG, "image/png"));

        assertThat(provider.download(URI.create(url("/files/moved.png"))).bytes()).isEqualTo(PNG);

        assertThat(stub.requests()).hasSize(2);
        assertThat(stub.requests().get(0).header("Ocp-Apim-Subscription-Key")).isEqualTo(KEY);
        assertThat(stub.requests().get(1).header("Ocp-Apim-Subscription-Key")).isNull();
    }

    @Test
    void aMissingImageIsTransientBecauseACdnMayLag() {
        stub.on("GET", "/cdn/late.png", Reply.empty(404));
        var e = fails(() -> provider.download(URI.create(stub.otherHost() + "/cdn/late.png")));
        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.httpStatus()).isEqualTo(404);
    }

    @Test
    void aServerErrorIsTransient() {
        stub.on("GET", "/cdn/a.png", Reply.text(502, "bad gateway"));
        var e = fails(() -> provider.download(URI.create(stub.otherHost() + "/cdn/a.png")));
        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.httpStatus()).isEqualTo(502);
    }

    @Test
    void a403FromAHostThatGotNoKeyIsNotAnAuthProblem() {
        stub.on("GET", "/cdn/a.png", Reply.text(403, "AccessDenied"));
        var e = fails(() -> provider.download(URI.create(stub.otherHost() + "/cdn/a.png")));
        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.httpStatus()).isEqualTo(403);
    }

    @Test
    void a401FromTheGatewayIsAnAuthProblem() {
        stub.on("GET", "/files/a.png", Reply.json(401, "{\"error\":\"Access denied\"}"));
        var e = fails(() -> provider.download(URI.create(url("/files/a.png"))));
        assertThat(e.kind()).isEqualTo(Kind.AUTH);
    }

    @Test
    void aNonHttpUrlIsRefused() {
        var e = fails(() -> provider.download(URI.create("file:///etc/passwd")));
        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(stub.requests()).isEmpty();
    }
}
