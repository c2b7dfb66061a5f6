package dev.zbatch.sandbox;

import javax.imageio.IIOImage;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;

/**
 * One thread's JPEG writer, kept from one image to the next with the parameters and default metadata of the last
 * quality and colour model it wrote. A writer per image meant a registry lookup and a new native encoder each time,
 * and the writer builds default metadata for every image given none: together about 8% of encoding a 256x256
 * image. Writers are not thread-safe, hence one per thread; the bytes are the same as a fresh writer's.
 */
final class SandboxJpegWriter {

    private static final ThreadLocal<SandboxJpegWriter> PER_THREAD = ThreadLocal.withInitial(SandboxJpegWriter::new);

    private final ImageWriter writer;
    private final ImageWriteParam param;
    private float quality = Float.NaN;
    private ColorModel colorModel;
    private IIOMetadata metadata;

    private SandboxJpegWriter() {
        writer = SandboxImageEncoder.jdkWriter("jpeg");
        param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    }

    /** @param quality 0 to 1 */
    static byte[] write(BufferedImage image, float quality) {
        SandboxJpegWriter jpeg = PER_THREAD.get();
        try {
            return jpeg.encode(image, quality);
        } catch (RuntimeException | Error e) {
            PER_THREAD.remove(); // a failed write may leave the native encoder in any state: the next gets a new one
            jpeg.writer.dispose();
            throw e;
        }
    }

    private byte[] encode(BufferedImage image, float quality) {
        if (quality != this.quality || !image.getColorModel().equals(colorModel)) {
            param.setCompressionQuality(quality);
            metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            this.quality = quality;
            colorModel = image.getColorModel();
        }
        return SandboxImageEncoder.write(writer, new IIOImage(image, null, metadata), param);
    }
}
