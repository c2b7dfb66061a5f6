package dev.zbatch.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ImageVerifierTest {

    private static final int W = 64;
    private static final int H = 48;

    private static byte[] png;
    private static byte[] jpeg;
    private static byte[] webp; // null when no WebP writer works here

    private final ImageVerifier verifier = new ImageVerifier();

    @BeforeAll
    static void makeImages() throws IOException {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                image.setRGB(x, y, random.nextInt(0xFFFFFF)); // noise: every byte of the file matters
            }
        }
        png = encode(image, "png");
        jpeg = encode(image, "jpeg");
        webp = encodeWebp(image);
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    private static byte[] encodeWebp(BufferedImage image) {
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByMIMEType("image/webp"); it.hasNext(); ) {
            ImageWriter writer = it.next();
            if (!writer.getClass().getPackageName().equals("com.luciad.imageio.webp")) {
                continue;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.write(image);
            } catch (IOException | RuntimeException | LinkageError e) {
                return null; // native libwebp unavailable on this platform
            } finally {
                writer.dispose();
            }
            return out.toByteArray();
        }
        return null;
    }

    @Test
    void acceptsAValidPng() throws Exception {
        VerifiedImage v = verifier.verify(png);
        assertThat(v).isEqualTo(new VerifiedImage("png", "image/png", W, H, png.length));
    }

    @Test
    void acceptsAValidJpegWhoseFileExtensionIsJpg() throws Exception {
        VerifiedImage v = verifier.verify(jpeg);
        assertThat(v).isEqualTo(new VerifiedImage("jpeg", "image/jpeg", W, H, jpeg.length));
        assertThat(v.extension()).isEqualTo("jpg");
    }

    @Test
    void acceptsAValidWebp() throws Exception {
        assumeTrue(webp != null, "no working WebP writer on this platform");
        VerifiedImage v = verifier.verify(webp);
        assertThat(v).isEqualTo(new VerifiedImage("webp", "image/webp", W, H, webp.length));
    }

    @Test
    void refusesDataThatIsNotAnImageItCanKeepSayingWhatItIs() {
        assertThatThrownBy(() -> verifier.verify("<html>rate limited</html>".getBytes()))
                .isInstanceOf(ImageVerificationException.class)
                .hasMessage("not an image zbatch can keep: HTML/XML text (png, jpeg or webp)");
        assertThatThrownBy(() -> verifier.verify("GIF89a...".getBytes())).hasMessageContaining("gif");
    }

    @Test
    void rejectsEmptyBytes() {
        assertThatThrownBy(() -> verifier.verify(new byte[0]))
                .isInstanceOf(ImageVerificationException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> verifier.verify(null))
                .isInstanceOf(ImageVerificationException.class);
    }

    @Test
    void rejectsTruncatedPngs() {
        for (int cut : new int[] {png.length / 2, png.length - 13, png.length - 12, png.length - 1}) {
            assertThatThrownBy(() -> verifier.verify(Arrays.copyOf(png, cut)))
                    .as("png cut to %d of %d bytes", cut, png.length)
                    .isInstanceOf(ImageVerificationException.class)
                    .hasMessageContaining("png");
        }
    }

    @Test
    void rejectsTruncatedJpegs() {
        for (int cut : new int[] {jpeg.length / 2, jpeg.length - 10, jpeg.length - 2, jpeg.length - 1}) {
            assertThatThrownBy(() -> verifier.verify(Arrays.copyOf(jpeg, cut)))
                    .as("jpeg cut to %d of %d bytes", cut, jpeg.length)
                    .isInstanceOf(ImageVerificationException.class)
                    .hasMessageContaining("jpeg");
        }
    }

    @Test
    void rejectsTruncatedWebps() {
        assumeTrue(webp != null, "no working WebP writer on this platform");
        for (int cut : new int[] {12, webp.length / 2, webp.length - 1}) {
            assertThatThrownBy(() -> verifier.verify(Arrays.copyOf(webp, cut)))
                    .as("webp cut to %d of %d bytes", cut, webp.length)
                    .isInstanceOf(ImageVerificationException.class)
                    .hasMessageContaining("webp");
        }
    }

    @Test
    void rejectsAPngWhoseImageDataIsCorruptButWhoseEndIsIntact() {
        byte[] damaged = png.clone();
        for (int i = 60; i < damaged.length - 40; i++) {
            damaged[i] = (byte) 0x5A;
        }
        assertThatThrownBy(() -> verifier.verify(damaged))
                .isInstanceOf(ImageVerificationException.class)
                .hasMessageStartingWith("png does not decode");
    }

    @Test
    void rejectsAJpegWhoseEndIsIntactButWhoseMiddleIsMissing() {
        // EOI present, but half the entropy-coded data gone: only the decoder's warnings reveal it
        byte[] spliced = new byte[jpeg.length / 2 + 2];
        System.arraycopy(jpeg, 0, spliced, 0, jpeg.length / 2);
        spliced[spliced.length - 2] = (byte) 0xFF;
        spliced[spliced.length - 1] = (byte) 0xD9;
        assertThatThrownBy(() -> verifier.verify(spliced))
                .isInstanceOf(ImageVerificationException.class)
                .hasMessageContaining("jpeg");
    }
}
