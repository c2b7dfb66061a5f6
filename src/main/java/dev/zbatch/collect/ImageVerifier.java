package dev.zbatch.collect;

import dev.zbatch.files.ImageMagic;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Checks that downloaded bytes are a complete image before they are written under their final name: an image that
 * fails here is fetched again, and never kept. What kind of image it is (format, size) is another question, asked
 * by {@link ExpectedImage}: a paid image that decodes is kept even when it is not what was asked.
 * <p>
 * Checks, in order: not empty; the magic bytes are those of PNG, JPEG or WebP; the container is complete (PNG ends
 * with an IEND chunk, JPEG ends with the EOI marker FF D9, WebP's RIFF size field equals length - 8); the declared
 * size is within {@link #MAX_PIXELS} (checked before decoding, so a huge image is not decoded); the image decodes
 * fully with ImageIO without warnings.
 * <p>
 * The container checks matter: the JDK's JPEG reader decodes a truncated JPEG without an exception (it only
 * reports a warning and fills the missing part with grey), and a PNG cut just before its IEND chunk still
 * decodes. Stateless and thread-safe.
 */
public class ImageVerifier {

    /** Refuse to decode more pixels than this (a decompression bomb would exhaust the heap). */
    static final long MAX_PIXELS = 64L * 1024 * 1024;

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] PNG_IEND = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};
    private static final List<String> FORMATS = List.of("png", "jpeg", "webp");

    /**
     * The image the bytes hold, in whichever of the formats zbatch writes.
     *
     * @throws ImageVerificationException when the bytes are not a complete image: empty, another kind of data, cut
     *                                    short, or damaged
     */
    public VerifiedImage verify(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageVerificationException("empty image: the download has 0 bytes");
        }
        String found = detectFormat(bytes);
        if (!FORMATS.contains(found)) {
            throw new ImageVerificationException("not an image zbatch can keep: " + found + " (png, jpeg or webp)");
        }
        checkComplete(bytes, found);
        int[] size = decode(bytes, found);
        return new VerifiedImage(found, "image/" + found, size[0], size[1], bytes.length);
    }

    public static String normaliseFormat(String format) {
        String f = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
        if (f.startsWith("image/")) {
            f = f.substring("image/".length());
        }
        switch (f) {
            case "png":
                return "png";
            case "jpeg":
            case "jpg":
                return "jpeg";
            case "webp":
                return "webp";
            default:
                throw new IllegalArgumentException("unsupported image format: " + format + " (png, jpeg or webp)");
        }
    }

    /** "png", "jpeg", "webp", or a description of what the bytes look like instead. */
    static String detectFormat(byte[] b) {
        String known = ImageMagic.formatOf(b);
        if (known != null) return known;
        if (startsWith(b, new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 0)) {
            return "png"; // a signature damaged past its first four bytes: checked as the PNG it means to be
        }
        if (startsWith(b, ascii("GIF8"), 0)) {
            return "gif";
        }
        if (startsWith(b, ascii("BM"), 0)) {
            return "bmp";
        }
        if (b.length >= 12 && startsWith(b, ascii("ftyp"), 4)) {
            return "an ISO media file (e.g. AVIF/HEIC/MP4)";
        }
        String head = new String(b, 0, Math.min(b.length, 64), StandardCharsets.ISO_8859_1).stripLeading();
        if (head.startsWith("<")) {
            return "HTML/XML text";
        }
        if (head.startsWith("{") || head.startsWith("[")) {
            return "JSON text";
        }
        return "unknown data (first bytes " + HexFormat.ofDelimiter(" ").formatHex(b, 0, Math.min(b.length, 8)) + ")";
    }

    private static void checkComplete(byte[] b, String format) {
        switch (format) {
            case "png" -> {
                if (b.length < PNG_MAGIC.length + PNG_IEND.length || !startsWith(b, PNG_IEND, b.length - PNG_IEND.length)) {
                    throw new ImageVerificationException("truncated png: it does not end with an IEND chunk");
                }
            }
            case "jpeg" -> {
                if (b.length < 4 || (b[b.length - 2] & 0xFF) != 0xFF || (b[b.length - 1] & 0xFF) != 0xD9) {
                    throw new ImageVerificationException("truncated jpeg: it does not end with the EOI marker (FF D9)");
                }
            }
            case "webp" -> {
                long riffSize = (b[4] & 0xFFL) | (b[5] & 0xFFL) << 8 | (b[6] & 0xFFL) << 16 | (b[7] & 0xFFL) << 24;
                if (riffSize + 8 != b.length) {
                    throw new ImageVerificationException("truncated webp: the RIFF header announces " + (riffSize + 8)
                            + " bytes but there are " + b.length);
                }
            }
            default -> throw new IllegalStateException(format);
        }
    }

    /** Decodes fully; returns {width, height}. */
    private static int[] decode(byte[] bytes, String format) {
        List<String> failures = new ArrayList<>();
        for (ImageReader reader : readersFor(format)) {
            try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > MAX_PIXELS) {
                    throw new ImageVerificationException("image too large to verify: " + width + "x" + height);
                }
                // JPEG: every pixel decoded, without the conversion into a BufferedImage, which copies each pixel
                // from the decoder's RGB order into the image's BGR order in Java (most of the decoding time)
                Raster image = "jpeg".equals(format) && reader.canReadRaster()
                        ? reader.readRaster(0, null) : rasterOf(reader.read(0));
                if (image == null) {
                    failures.add("no image data");
                    continue;
                }
                if (!warnings.isEmpty()) {
                    throw new ImageVerificationException(format + " is damaged: " + String.join("; ", warnings));
                }
                return new int[] {image.getWidth(), image.getHeight()};
            } catch (ImageVerificationException e) {
                throw e;
            } catch (IOException | RuntimeException | LinkageError e) {
                // try the next reader (e.g. the other WebP plugin, whose native library may not load), then report
                failures.add(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            } finally {
                reader.dispose();
            }
        }
        if (failures.isEmpty()) {
            throw new ImageVerificationException("cannot decode " + format + ": no ImageIO reader is installed");
        }
        throw new ImageVerificationException(format + " does not decode: " + failures.get(0));
    }

    private static Raster rasterOf(BufferedImage image) {
        return image == null ? null : image.getRaster();
    }

    /** Readers for the format, pure-Java ones first (TwelveMonkeys WebP before the native libwebp one). */
    private static List<ImageReader> readersFor(String format) {
        List<ImageReader> first = new ArrayList<>();
        List<ImageReader> later = new ArrayList<>();
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format); it.hasNext(); ) {
            ImageReader reader = it.next();
            (reader.getClass().getName().startsWith("com.luciad.") ? later : first).add(reader);
        }
        first.addAll(later);
        return first;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static boolean startsWith(byte[] b, byte[] prefix, int offset) {
        if (offset < 0 || b.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
