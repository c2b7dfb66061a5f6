package dev.zbatch.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxImagesTest {

    static BufferedImage decode(byte[] bytes) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image).as("decodable image").isNotNull();
        return image;
    }

    /** Decodes WebP with TwelveMonkeys' pure-Java reader (not sejda's native one), as zbatch verifies downloads. */
    static BufferedImage decodeWebpWithTwelveMonkeys(byte[] bytes) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("webp");
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (!reader.getClass().getName().startsWith("com.twelvemonkeys.")) continue;
            try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
                reader.setInput(in);
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        }
        throw new AssertionError("TwelveMonkeys WebP reader not found");
    }

    @Test
    void pngIsAPngOfTheRequestedSize() throws IOException {
        byte[] png = SandboxImages.render("A red bicycle in the rain", 640, 360, "png", 90, 7);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        BufferedImage image = decode(png);
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(360);
    }

    @Test
    void jpegIsAJpegOfTheRequestedSizeAndQualityMatters() throws IOException {
        byte[] high = SandboxImages.render("A red bicycle in the rain", 512, 768, "jpeg", 95, 7);
        byte[] low = SandboxImages.render("A red bicycle in the rain", 512, 768, "jpeg", 10, 7);
        assertThat(high).startsWith(0xFF, 0xD8, 0xFF);
        BufferedImage image = decode(high);
        assertThat(image.getWidth()).isEqualTo(512);
        assertThat(image.getHeight()).isEqualTo(768);
        assertThat(low.length).isLessThan(high.length);
    }

    @Test
    void webpIsWrittenBySejdaAndReadableByTwelveMonkeys() throws IOException {
        byte[] webp = SandboxImages.render("A red bicycle in the rain", 300, 500, "webp", 80, 7);
        assertThat(new String(webp, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(new String(webp, 8, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("WEBP");
        BufferedImage image = decodeWebpWithTwelveMonkeys(webp);
        assertThat(image.getWidth()).isEqualTo(300);
        assertThat(image.getHeight()).isEqualTo(500);
    }

    @Test
    void sameArgumentsGiveTheSameBytesAndOtherSeedsOtherColours() throws IOException {
        byte[] a = SandboxImages.render("same prompt", 256, 256, "png", 90, 1);
        byte[] b = SandboxImages.render("same prompt", 256, 256, "png", 90, 1);
        byte[] c = SandboxImages.render("same prompt", 256, 256, "png", 90, 2);
        assertThat(a).isEqualTo(b);
        assertThat(decode(a).getRGB(1, 1)).isNotEqualTo(decode(c).getRGB(1, 1));
    }

    @Test
    void keptBackgroundsGiveTheSameBytesAsFreshlyDrawnOnes() {
        SandboxBackgrounds.clear();
        byte[] fresh = SandboxImages.render("a kept background", 320, 200, "jpeg", 90, 11);
        byte[] kept = SandboxImages.render("a kept background", 320, 200, "jpeg", 90, 11);
        SandboxBackgrounds.clear();
        byte[] again = SandboxImages.render("a kept background", 320, 200, "jpeg", 90, 11);
        assertThat(kept).isEqualTo(fresh);
        assertThat(again).isEqualTo(fresh);
    }

    @Test
    void aThreadsKeptJpegWriterWritesWhatAFreshOneWrites() throws Exception {
        // each thread keeps its JPEG writer, with the last quality's settings: other sizes and qualities in between
        // must not change the bytes
        java.util.concurrent.atomic.AtomicReference<byte[]> fresh = new java.util.concurrent.atomic.AtomicReference<>();
        Thread thread = new Thread(() -> fresh.set(SandboxImages.render("a kept writer", 320, 200, "jpeg", 90, 4)));
        thread.start();
        thread.join();
        SandboxImages.render("another image", 200, 320, "jpeg", 30, 5);
        assertThat(SandboxImages.render("a kept writer", 320, 200, "jpeg", 90, 4)).isEqualTo(fresh.get());
    }

    @Test
    void otherPromptsOnTheSameBackgroundGiveOtherImages() throws IOException {
        // seeds chosen so that both prompts may share a background variant: the text still tells them apart
        byte[] a = SandboxImages.render("bench prompt number 1", 256, 256, "jpeg", 90, 5);
        byte[] b = SandboxImages.render("bench prompt number 2", 256, 256, "jpeg", 90, 5);
        assertThat(a).isNotEqualTo(b);
        assertThat(decode(a).getWidth()).isEqualTo(256);
    }

    @Test
    void jpegKeepsTheColours() throws IOException {
        // an image in Java2D's own B, G, R byte order is encoded with its colours too: red stays red, blue blue
        BufferedImage bgr = new BufferedImage(64, 32, BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = bgr.createGraphics();
        g.setColor(new java.awt.Color(220, 20, 30));
        g.fillRect(0, 0, 32, 32);
        g.setColor(new java.awt.Color(20, 30, 220));
        g.fillRect(32, 0, 32, 32);
        g.dispose();
        BufferedImage decoded = decode(SandboxImageEncoder.encode(bgr, SandboxImageFormat.JPEG, 95));
        java.awt.Color red = new java.awt.Color(decoded.getRGB(16, 16));
        java.awt.Color blue = new java.awt.Color(decoded.getRGB(48, 16));
        assertThat(red.getRed()).isGreaterThan(180);
        assertThat(red.getBlue()).isLessThan(70);
        assertThat(blue.getBlue()).isGreaterThan(180);
        assertThat(blue.getRed()).isLessThan(70);
    }

    @Test
    void aJpegShowsTheSamePictureAsTheOneDrawnInJava2dsByteOrder() throws IOException {
        // the JPEG path draws on a red/blue-swapped background so that its bytes are RGB without a copy
        int seed = 0;
        BufferedImage reference = SandboxImages.draw("a red and blue check", 256, 256, seed, false);
        while (Math.abs(meanRgb(reference)[0] - meanRgb(reference)[2]) < 30) { // a picture that tells red from blue
            reference = SandboxImages.draw("a red and blue check", 256, 256, ++seed, false);
        }
        BufferedImage jpeg = decode(SandboxImages.render("a red and blue check", 256, 256, "jpeg", 95, seed));
        double[] want = meanRgb(reference);
        double[] got = meanRgb(jpeg);
        for (int channel = 0; channel < 3; channel++) {
            assertThat(got[channel]).as("channel " + channel).isCloseTo(want[channel], within(3.0));
        }
        long far = 0;
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                int a = reference.getRGB(x, y);
                int b = jpeg.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    if (Math.abs((a >> shift & 0xFF) - (b >> shift & 0xFF)) > 48) far++;
                }
            }
        }
        assertThat(far).as("samples far off (JPEG loses a little around the letters)").isLessThan(256 * 256 * 3 / 100);
    }

    private static double[] meanRgb(BufferedImage image) {
        double[] sum = new double[3];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                sum[0] += rgb >> 16 & 0xFF;
                sum[1] += rgb >> 8 & 0xFF;
                sum[2] += rgb & 0xFF;
            }
        }
        double n = (double) image.getWidth() * image.getHeight();
        return new double[]{sum[0] / n, sum[1] / n, sum[2] / n};
    }

    @Test
    void theImageSaysSandboxEvenWithoutText() {
        // the block-letter fallback, used when no font works, covers a visible part of the image
        BufferedImage blank = new BufferedImage(700, 300, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = blank.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        SandboxBlockLetters.draw(g, 588, 700, 120);
        g.dispose();
        long white = 0;
        for (int y = 0; y < 300; y++) for (int x = 0; x < 700; x++) if ((blank.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF) white++;
        assertThat(white).isGreaterThan(700 * 300 / 50);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "एक लाल साइकिल बारिश में, स्टूडियो फोटो",
            "一辆红色自行车在雨中，白色背景，产品摄影，高清细节丰富的商品图片",
            "🚲🌧️ emoji only",
            "x",
            "averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongwordwithoutanyspaceatall",
            "   leading and trailing spaces   ",
            "Ein sehr langer Prompt mit vielen Wörtern der weit mehr als vierzehn Wörter enthält und deshalb gekürzt wird am Ende"
    })
    void anyPromptRendersInEveryFormat(String prompt) throws IOException {
        for (String format : new String[]{"png", "jpeg", "webp"}) {
            byte[] bytes = SandboxImages.render(prompt, 256, 256, format, 80, 3);
            BufferedImage image = "webp".equals(format) ? decodeWebpWithTwelveMonkeys(bytes) : decode(bytes);
            assertThat(image.getWidth()).isEqualTo(256);
        }
    }

    @Test
    void unknownFormatIsRefused() {
        assertThatThrownBy(() -> SandboxImages.render("p", 256, 256, "gif", 80, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gif");
    }

    @Test
    void renderTimesAt1024() {
        StringBuilder report = new StringBuilder("Sandbox render times, 1024x1024:");
        for (String format : new String[]{"png", "jpeg", "webp"}) {
            for (int i = 0; i < 2; i++) SandboxImages.render("warm up " + i, 1024, 1024, format, 90, i);
            int runs = 5;
            long size = 0;
            long start = System.nanoTime();
            for (int i = 0; i < runs; i++) size += SandboxImages.render("Studio photo of a red bicycle, white background, "
                    + i, 1024, 1024, format, 90, i).length;
            double ms = (System.nanoTime() - start) / 1e6 / runs;
            report.append(String.format(" %s %.0f ms (%d KB);", format, ms, size / runs / 1024));
            assertThat(ms).as(format + " ms per image").isLessThan(2_000);
        }
        System.out.println(report);
    }
}
