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

    private String difference(ExpectedImage expected, byte[] bytes) {
        return expected.differenceFrom(verifier.verify(bytes));
    }

    @Test
    void pixelApisMustMatchExactly() throws IOException {
        ExpectedImage expected = ExpectedImage.of(request(512, 256, null));
        assertThat(difference(expected, png(512, 256))).isNull();
        assertThat(difference(expected, png(496, 256))).isEqualTo("asked 512x256, got 496x256");
    }

    @Test
    void anotherFormatIsADifferenceNamingBoth() throws IOException {
        ExpectedImage expected = ExpectedImage.of(new ImageRequest("p", 512, 256, 8, 0, -1, "webp", 0, 1, null, null, null, Map.of()));
        assertThat(difference(expected, png(500, 256))).isEqualTo("asked webp, got png; asked 512x256, got 500x256");
    }

    @Test
    void aSizeNameChosenFromTheRatioMustHaveThatRatio() throws IOException {
        ExpectedImage expected = ExpectedImage.of(request(1024, 768, "landscape_4_3"));
        assertThat(difference(expected, png(800, 600))).isNull();
        assertThat(difference(expected, png(600, 800))).isEqualTo("asked the 4:3 shape, got 600x800");
    }

    @Test
    void aSizeNameTheRowGaveItselfIsTakenOnTrust() throws IOException {
        assertThat(difference(ExpectedImage.of(request(1024, 1024, "landscape_16_9")), png(300, 200))).isNull();
        assertThat(difference(ExpectedImage.of(request(1024, 1024, "square_hd")), png(300, 200))).isNull();
    }
}
