package dev.zbatch.collect.metadata;

import org.apache.commons.imaging.formats.jpeg.xmp.JpegXmpRewriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes the XMP packet into a JPEG as an APP1 segment (Commons Imaging's rewriter copies the compressed image
 * data as it is, and replaces any XMP segment already there).
 */
final class JpegXmp {

    /** An APP1 segment holds 65533 bytes, less the 29-byte XMP namespace header; the rest is margin. */
    static final int MAX_PACKET_BYTES = 65_000;

    private JpegXmp() {
    }

    static byte[] embed(byte[] jpeg, ImageMetadata m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + 4096);
        try {
            new JpegXmpRewriter().updateXmpXml(jpeg, out, XmpPacket.of(m, MAX_PACKET_BYTES));
        } catch (IOException e) { // includes ImagingException for a JPEG it cannot parse
            throw new UncheckedIOException("cannot write XMP into the jpeg: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
