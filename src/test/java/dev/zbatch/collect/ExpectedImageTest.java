package dev.zbatch.collect;

import dev.zbatch.request.ImageRequest;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpectedImageTest {

    private final ImageVerifier verifier = new ImageVerifier();

    private static byte[] png(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    private static ImageRequest request(int width, int height, String imageSize) {
        return new ImageRequest("p", width, height, 8, 0, -1, "png", 0, 1, imageSize, null, null, Map.of());
    }

    @Test
    void pixelApisMustMatchExactly() throws IOException {
        ExpectedImage expected = ExpectedImage.of(request(512, 256, null));
        assertThat(expected.verify(verifier, png(512, 256)).width()).isEqualTo(512);
        assertThatThrownBy(() -> expected.verify(verifier, png(256, 256)))
                .isInstanceOf(ImageVerificationException.class).hasMessageContaining("512x256");
    }

    @Test
    void aSizeNameChosenFromTheRatioMustHaveThatRatio() throws IOException {
        ExpectedImage expected = ExpectedImage.of(request(1024, 768, "landscape_4_3"));
        assertThat(expected.verify(verifier, png(800, 600)).height()).isEqualTo(600);
        assertThatThrownBy(() -> expected.verify(verifier, png(600, 800)))
                .isInstanceOf(ImageVerificationException.class).hasMessageContaining("4:3");
    }

    @Test
    void aSizeNameTheRowGaveItselfIsTakenOnTrust() throws IOException {
        assertThat(ExpectedImage.of(request(1024, 1024, "landscape_16_9")).verify(verifier, png(300, 200)).width())
                .isEqualTo(300);
        assertThat(ExpectedImage.of(request(1024, 1024, "square_hd")).verify(verifier, png(300, 200)).width())
                .isEqualTo(300);
    }
}
