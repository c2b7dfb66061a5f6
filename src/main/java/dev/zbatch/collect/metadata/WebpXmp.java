package dev.zbatch.collect.metadata;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the XMP packet into a WebP as a RIFF {@code XMP } chunk, without touching the image data. No
 * maintained Java library writes WebP metadata, hence this: an extended WebP only gets its XMP flag set; a simple
 * one (a lone VP8 or VP8L chunk) becomes extended, which needs a {@code VP8X} header chunk with the canvas size
 * (read from the bitstream) and, for VP8L, whether it uses alpha. An XMP chunk already there is replaced.
 * Layout per Google's "WebP Container Specification".
 */
final class WebpXmp {

    private static final int XMP_FLAG = 0x04;
    private static final int ALPHA_FLAG = 0x10;

    private WebpXmp() {
    }

    private record Chunk(String fourCc, byte[] data, int offset, int length) {
        void writeTo(ByteArrayOutputStream out) {
            out.writeBytes(fourCc.getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(littleEndian(length));
            out.write(data, offset, length);
            if ((length & 1) == 1) out.write(0); // chunks are padded to an even size
        }
    }

    static byte[] embed(byte[] webp, ImageMetadata m) {
        List<Chunk> chunks = chunks(webp);
        if (chunks.isEmpty()) throw new IllegalArgumentException("webp has no chunks");
        List<Chunk> result = new ArrayList<>();
        Chunk first = chunks.get(0);
        switch (first.fourCc()) {
            case "VP8X": {
                if (first.length() < 10) throw new IllegalArgumentException("webp VP8X chunk too short");
                byte[] header = java.util.Arrays.copyOfRange(first.data(), first.offset(), first.offset() + first.length());
                header[0] |= XMP_FLAG;
                result.add(new Chunk("VP8X", header, 0, header.length));
                break;
            }
            case "VP8 ":
            case "VP8L":
                result.add(extendedHeader(first));
                result.add(first);
                break;
            default:
                throw new IllegalArgumentException("webp starts with an unknown chunk: " + first.fourCc());
        }
        for (Chunk chunk : chunks.subList(1, chunks.size())) {
            if (!chunk.fourCc().equals("XMP ")) result.add(chunk);
        }
        byte[] xmp = XmpPacket.of(m).getBytes(StandardCharsets.UTF_8);
        result.add(new Chunk("XMP ", xmp, 0, xmp.length));

        ByteArrayOutputStream body = new ByteArrayOutputStream(webp.length + xmp.length + 64);
        body.writeBytes("WEBP".getBytes(StandardCharsets.US_ASCII));
        result.forEach(chunk -> chunk.writeTo(body));
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 8);
        out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(littleEndian(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static List<Chunk> chunks(byte[] webp) {
        if (webp.length < 12) throw new IllegalArgumentException("webp too short");
        List<Chunk> chunks = new ArrayList<>();
        int at = 12;
        while (at + 8 <= webp.length) {
            String fourCc = new String(webp, at, 4, StandardCharsets.US_ASCII);
            long length = readLittleEndian(webp, at + 4, 4);
            if (at + 8L + length > webp.length) throw new IllegalArgumentException("webp chunk " + fourCc + " cut short");
            chunks.add(new Chunk(fourCc, webp, at + 8, (int) length));
            at += 8 + (int) length + (int) (length & 1);
        }
        return chunks;
    }

    /** VP8X: flags, 3 reserved bytes, canvas width - 1 and height - 1 in 24 bits each. */
    private static Chunk extendedHeader(Chunk image) {
        int[] size;
        int flags = XMP_FLAG;
        byte[] d = image.data();
        int o = image.offset();
        if (image.fourCc().equals("VP8L")) {
            if (image.length() < 5 || (d[o] & 0xFF) != 0x2F) throw new IllegalArgumentException("not a VP8L bitstream");
            long bits = readLittleEndian(d, o + 1, 4);
            size = new int[] {(int) (bits & 0x3FFF) + 1, (int) ((bits >>> 14) & 0x3FFF) + 1};
            if (((bits >>> 28) & 1) == 1) flags |= ALPHA_FLAG;
        } else {
            // a key frame: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height
            if (image.length() < 10 || (d[o + 3] & 0xFF) != 0x9D || (d[o + 4] & 0xFF) != 0x01
                    || (d[o + 5] & 0xFF) != 0x2A) {
                throw new IllegalArgumentException("not a VP8 key frame");
            }
            size = new int[] {(int) readLittleEndian(d, o + 6, 2) & 0x3FFF, (int) readLittleEndian(d, o + 8, 2) & 0x3FFF};
        }
        byte[] header = new byte[10];
        header[0] = (byte) flags;
        System.arraycopy(littleEndian(size[0] - 1), 0, header, 4, 3);
        System.arraycopy(littleEndian(size[1] - 1), 0, header, 7, 3);
        return new Chunk("VP8X", header, 0, header.length);
    }

    private static long readLittleEndian(byte[] b, int at, int count) {
        long value = 0;
        for (int i = count - 1; i >= 0; i--) value = value << 8 | (b[at + i] & 0xFF);
        return value;
    }

    private static byte[] littleEndian(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }
}
