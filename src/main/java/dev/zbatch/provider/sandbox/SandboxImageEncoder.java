package dev.zbatch.provider.sandbox;

import com.luciad.imageio.webp.WebPImageWriterSpi;
import com.luciad.imageio.webp.WebPWriteParam;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

/**
 * Encodes a rendered image. PNG and JPEG use the JDK's ImageIO writers. WebP uses sejda's webp-imageio writer
 * (bundled native libwebp), created directly from its service provider: TwelveMonkeys registers only a WebP
 * reader, and sejda's writer is the only WebP writer on the class path, but creating it directly does not depend
 * on ImageIO's plugin scan having seen the right class loader (Spring Boot's nested jars).
 */
final class SandboxImageEncoder {

    /** libwebp's speed/size trade-off, 0 (fast) to 6 (small); 2 is about twice as fast as the default 4 at 1024². */
    private static final int WEBP_METHOD = 2;

    private SandboxImageEncoder() {
    }

    /** @param quality 1-100, used by jpeg and webp (lossy); ignored by png */
    static byte[] encode(BufferedImage image, SandboxImageFormat format, int quality) {
        float q = Math.max(1, Math.min(100, quality)) / 100f;
        return switch (format) {
            case PNG -> write(jdkWriter("png"), image, null);
            case JPEG -> {
                ImageWriter writer = jdkWriter("jpeg");
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(q);
                yield write(writer, image, param);
            }
            case WEBP -> {
                ImageWriter writer = webpWriter();
                WebPWriteParam param = (WebPWriteParam) writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType(param.getCompressionTypes()[WebPWriteParam.LOSSY_COMPRESSION]);
                param.setCompressionQuality(q);
                param.setMethod(WEBP_METHOD);
                yield write(writer, image, param);
            }
        };
    }

    private static ImageWriter jdkWriter(String formatName) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(formatName);
        if (!writers.hasNext()) throw new IllegalStateException("No ImageIO writer for " + formatName);
        return writers.next();
    }

    private static ImageWriter webpWriter() {
        try {
            return new WebPImageWriterSpi().createWriterInstance(null);
        } catch (IOException | LinkageError | RuntimeException e) {
            throw new IllegalStateException("The sandbox cannot encode WebP on this platform ("
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                    + "): sejda webp-imageio failed: " + e, e);
        }
    }

    private static byte[] write(ImageWriter writer, BufferedImage image, ImageWriteParam param) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("The sandbox could not encode an image", e);
        } catch (LinkageError e) {
            // the WebP writer loads its native library on first use
            throw new IllegalStateException("The sandbox cannot encode WebP on this platform ("
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "): " + e, e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
