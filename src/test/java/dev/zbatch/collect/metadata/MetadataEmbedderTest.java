package dev.zbatch.collect.metadata;

import com.luciad.imageio.webp.WebPImageWriterSpi;
import com.luciad.imageio.webp.WebPWriteParam;
import dev.zbatch.collect.ImageVerifier;
import dev.zbatch.collect.VerifiedImage;
import dev.zbatch.testing.EmbeddedMetadata;
import dev.zbatch.testing.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Each format: the metadata goes in, reads back exactly with another library, and the picture is untouched. */
class MetadataEmbedderTest {

    private static final int W = 96;
    private static final int H = 64;
    static final String AWKWARD_PROMPT = "A \"poster\" that says <script>alert('x')</script> & 'SALE' > ]]>\n"
            + "second line\twith a tab, ताज महल, 狐 and 🦊";
    private static final ImageMetadata METADATA = new ImageMetadata(AWKWARD_PROMPT, 1234567890123L, "z-image-turbo",
            "sandbox", "fox<1>");

    private final MetadataEmbedder embedder = new MetadataEmbedder(true);
    private final ImageVerifier verifier = new ImageVerifier();

    @Test
    void pngGetsTextChunksAndXmpAndKeepsItsPixels() throws Exception {
        byte[] png = encode(picture(false), "png");

        byte[] embedded = embedder.embed(png, "png", METADATA);

        assertThat(EmbeddedMetadata.pngText(embedded)).containsOnly(
                entry("Description", AWKWARD_PROMPT), entry("Seed", "1234567890123"), entry("Model", "z-image-turbo"),
                entry("Provider", "sandbox"), entry("Row ID", "fox<1>"), entry("Software", "zbatch"),
                entry(PngTextChunks.XMP_KEYWORD, XmpPacket.of(METADATA)));
        assertThat(EmbeddedMetadata.pngTextTypes(embedded)).containsEntry("Description", "iTXt")
                .containsEntry("Row ID", "tEXt").containsEntry(PngTextChunks.XMP_KEYWORD, "iTXt");
        assertXmpIs(embedded, METADATA);
        assertSamePicture(png, embedded, "png");
    }

    @Test
    void aLatin1PromptGoesInAPlainTextChunkThatEveryPngToolShows() throws Exception {
        ImageMetadata latin1 = new ImageMetadata("Café crème, \"extra\" <b>froth</b>\nand a second line", 5L,
                "z-image-turbo", "sandbox", "7");

        byte[] png = embedder.embed(encode(picture(false), "png"), "png", latin1);

        assertThat(EmbeddedMetadata.pngTextTypes(png)).containsEntry("Description", "tEXt");
        assertThat(EmbeddedMetadata.pngText(png)).containsEntry("Description", latin1.prompt());
        assertXmpIs(png, latin1);
    }

    @Test
    void jpegGetsXmpAndKeepsItsPixels() throws Exception {
        byte[] jpeg = encode(picture(false), "jpeg");

        byte[] embedded = embedder.embed(jpeg, "jpeg", METADATA);

        assertXmpIs(embedded, METADATA);
        assertSamePicture(jpeg, embedded, "jpeg");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lossy", "lossless", "lossy with alpha"})
    void webpGetsAnXmpChunkAndKeepsItsPixels(String kind) throws Exception {
        byte[] webp = encodeWebp(picture(kind.contains("alpha")), !kind.equals("lossless"));
        String firstChunk = new String(webp, 12, 4, StandardCharsets.US_ASCII);
        assertThat(firstChunk).isEqualTo(kind.equals("lossy") ? "VP8 " : kind.equals("lossless") ? "VP8L" : "VP8X");

        byte[] embedded = embedder.embed(webp, "webp", METADATA);

        assertThat(new String(embedded, 12, 4, StandardCharsets.US_ASCII)).isEqualTo("VP8X");
        int flags = embedded[20] & 0xFF;
        assertThat(flags & 0x04).as("XMP flag").isEqualTo(0x04);
        assertThat(flags & 0x10).as("alpha flag").isEqualTo(kind.contains("alpha") ? 0x10 : 0);
        assertThat(canvas(embedded)).containsExactly(W, H);
        assertXmpIs(embedded, METADATA);
        assertSamePicture(webp, embedded, "webp");
    }

    @Test
    void embeddingAgainReplacesTheMetadataInEveryFormat() throws Exception {
        ImageMetadata copy = new ImageMetadata(AWKWARD_PROMPT, 7L, "z-image-turbo", "sandbox", "second");
        byte[] png = embedder.embed(embedder.embed(encode(picture(false), "png"), "png", METADATA), "png", copy);
        byte[] jpeg = embedder.embed(embedder.embed(encode(picture(false), "jpeg"), "jpeg", METADATA), "jpeg", copy);
        byte[] webp = embedder.embed(embedder.embed(encodeWebp(picture(false), true), "webp", METADATA), "webp", copy);

        assertThat(EmbeddedMetadata.pngText(png)).contains(entry("Row ID", "second"), entry("Seed", "7")).hasSize(7);
        for (byte[] image : new byte[][] {png, jpeg, webp}) {
            assertXmpIs(image, copy);
            assertThat(occurrences(image, "<x:xmpmeta")).isEqualTo(1);
        }
    }

    @Test
    void withoutASeedNoSeedIsWritten() throws Exception {
        ImageMetadata noSeed = new ImageMetadata("a fox", null, "z-image-turbo", "segmind", "3");

        byte[] png = embedder.embed(encode(picture(false), "png"), "png", noSeed);

        assertThat(EmbeddedMetadata.pngText(png)).doesNotContainKey("Seed");
        assertThat(EmbeddedMetadata.xmp(png)).doesNotContainKey("Seed").containsEntry("RowId", "3");
    }

    @Test
    void controlCharactersThatXmlCannotCarryBecomeReplacementCharacters() throws Exception {
        ImageMetadata odd = new ImageMetadata("bell\u0007 nul\u0000 lone\uD800 end", 1L, "m", "p", "r");

        byte[] jpeg = embedder.embed(encode(picture(false), "jpeg"), "jpeg", odd);

        assertThat(EmbeddedMetadata.xmp(jpeg)).containsEntry("Description", "bell\uFFFD nul\uFFFD lone\uFFFD end");
    }

    @Test
    void aPromptTooLongForAJpegSegmentIsCutShortAndTheJpegStaysValid() throws Exception {
        String prompt = "ताज महल ".repeat(4000); // 88 KB of UTF-8: more than one APP1 segment holds
        ImageMetadata huge = new ImageMetadata(prompt, 1L, "z-image-turbo", "sandbox", "big");
        byte[] jpeg = encode(picture(false), "jpeg");

        byte[] embedded = embedder.embed(jpeg, "jpeg", huge);

        String description = EmbeddedMetadata.xmp(embedded).get("Description");
        assertThat(description).endsWith("…").hasSizeGreaterThan(10_000);
        assertThat(prompt).startsWith(description.substring(0, description.length() - 1));
        assertThat(EmbeddedMetadata.xmp(embedded)).containsEntry("RowId", "big");
        assertSamePicture(jpeg, embedded, "jpeg");
    }

    @Test
    void offLeavesTheBytesAsDownloaded() throws Exception {
        byte[] png = encode(picture(false), "png");

        assertThat(new MetadataEmbedder(false).embed(png, "png", METADATA)).isSameAs(png);
    }

    @Test
    void aContainerItCannotParseIsKeptAsItIs() {
        byte[] notWebp = "RIFF\u0004\u0000\u0000\u0000WEBP".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(embedder.embed(notWebp, "webp", METADATA)).isSameAs(notWebp);
    }

    // ---- helpers

    private static void assertXmpIs(byte[] image, ImageMetadata m) throws Exception {
        assertThat(EmbeddedMetadata.xmp(image)).containsExactly(entry("Description", m.prompt()),
                entry("CreatorTool", "zbatch"), entry("Seed", String.valueOf(m.seed())), entry("Model", m.model()),
                entry("Provider", m.provider()), entry("RowId", m.rowId()));
    }

    /** Still a complete, decodable image of that format and size (zbatch's own check), with the same pixels. */
    private void assertSamePicture(byte[] before, byte[] after, String format) throws IOException {
        VerifiedImage verified = verifier.verify(after);
        assertThat(verified.format()).isEqualTo(ImageVerifier.normaliseFormat(format));
        assertThat(verified.width()).isEqualTo(W);
        assertThat(verified.height()).isEqualTo(H);
        assertThat(verified.bytes()).isEqualTo(after.length).isGreaterThan(before.length);
        assertThat(Images.pixels(after)).isEqualTo(Images.pixels(before));
    }

    private static int[] canvas(byte[] webp) {
        int w = (webp[24] & 0xFF | (webp[25] & 0xFF) << 8 | (webp[26] & 0xFF) << 16) + 1;
        int h = (webp[27] & 0xFF | (webp[28] & 0xFF) << 8 | (webp[29] & 0xFF) << 16) + 1;
        return new int[] {w, h};
    }

    private static int occurrences(byte[] haystack, String needle) {
        String text = new String(haystack, StandardCharsets.ISO_8859_1);
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) count++;
        return count;
    }

    private static BufferedImage picture(boolean alpha) {
        BufferedImage image = new BufferedImage(W, H, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(200, 40, 40, alpha ? 90 : 255), W, H, Color.BLUE));
        g.fillRect(0, 0, W, H);
        g.dispose();
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    /** With the bundled libwebp, as the sandbox does; lossless gives a simple VP8L file, alpha an extended one. */
    private static byte[] encodeWebp(BufferedImage image, boolean lossy) throws IOException {
        ImageWriter writer = new WebPImageWriterSpi().createWriterInstance(null);
        WebPWriteParam param = (WebPWriteParam) writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionType(param.getCompressionTypes()[lossy ? WebPWriteParam.LOSSY_COMPRESSION
                : WebPWriteParam.LOSSLESS_COMPRESSION]);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
