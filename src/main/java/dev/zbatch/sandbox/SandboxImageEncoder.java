package dev.zbatch.sandbox;

import com.luciad.imageio.webp.WebPImageWriterSpi;
import com.luciad.imageio.webp.WebPWriteParam;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

/**
 * Encodes a rendered image. PNG and JPEG use the JDK's ImageIO writers (JPEG's kept per thread, see
 * {@link SandboxJpegWriter}). WebP uses sejda's webp-imageio writer (bundled native libwebp), created directly from
 * its service provider: TwelveMonkeys registers only a WebP reader, and sejda's writer is the only WebP writer on
 * the class path, but creating it directly does not depend on ImageIO's plugin scan having seen the right class
 * loader (Spring Boot's nested jars).
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
            case PNG -> writeOnce(jdkWriter("png"), image, null);
            case JPEG -> SandboxJpegWriter.write(image, q);
            case WEBP -> {
                ImageWriter writer = webpWriter();
                WebPWriteParam param = (WebPWriteParam) writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType(param.getCompressionTypes()[WebPWriteParam.LOSSY_COMPRESSION]);
                param.setCompressionQuality(q);
                param.setMethod(WEBP_METHOD);
                yield writeOnce(writer, image, param);
            }
        };
    }

    /**
     * The bytes of a {@link BufferedImage#TYPE_3BYTE_BGR} image whose bytes already are in R, G, B order (drawn so
     * on purpose), read as such: no copy. The JPEG writer copies each line into an RGB line buffer: from RGB order
     * that is one array copy, from B, G, R it goes pixel by pixel through the generic raster code (most of the
     * encoding time). The raster is a {@link SandboxRgbRaster}, which gives the writer its lines cheaply.
     */
    static BufferedImage asRgbBytes(BufferedImage drawnSwapped) {
        byte[] bytes = ((DataBufferByte) drawnSwapped.getRaster().getDataBuffer()).getData();
        WritableRaster raster = new SandboxRgbRaster(bytes, drawnSwapped.getWidth(), drawnSwapped.getHeight());
        ColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        return new BufferedImage(model, raster, false, null);
    }

    static ImageWriter jdkWriter(String formatName) {
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

    /** Writes with a writer used for this image only. */
    private static byte[] writeOnce(ImageWriter writer, BufferedImage image, ImageWriteParam param) {
        try {
            return write(writer, new IIOImage(image, null, null), param);
        } catch (LinkageError e) {
            // the WebP writer loads its native library on first use
            throw new IllegalStateException("The sandbox cannot encode WebP on this platform ("
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "): " + e, e);
        } finally {
            writer.dispose();
        }
    }

    /** Writes {@code image} with {@code writer}, which is left without an output (and can write the next image). */
    static byte[] write(ImageWriter writer, IIOImage image, ImageWriteParam param) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        // in memory: ImageIO.createImageOutputStream would buffer through a temporary file (ImageIO's default cache)
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException("The sandbox could not encode an image", e);
        } finally {
            writer.setOutput(null);
        }
        return bytes.toByteArray();
    }
}
