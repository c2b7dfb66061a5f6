package dev.zbatch.testing;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** What a user checks about an image file: it decodes, its size, its checksum. */
public final class Images {

    private Images() {
    }

    public static BufferedImage decode(Path file) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(file)));
        if (image == null) throw new IOException(file + " does not decode as an image");
        return image;
    }

    /** Every pixel as ARGB, row by row: equal arrays mean the same picture. */
    public static int[] pixels(Path file) throws IOException {
        return pixels(Files.readAllBytes(file));
    }

    /** {@link #pixels(Path)} of an image in memory. */
    public static int[] pixels(byte[] encoded) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
        if (image == null) throw new IOException("the bytes do not decode as an image");
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    public static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
