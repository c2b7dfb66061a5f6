package dev.zbatch.collect.metadata;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Writes the metadata into a PNG as uncompressed text chunks placed before the first IDAT chunk, without touching
 * the image data: a tEXt chunk where the text is Latin-1 (ImageMagick 6 shows only those), else an iTXt chunk
 * (UTF-8), as the PNG specification recommends. Keywords: {@code Description} (the prompt), {@code Seed}, {@code Model},
 * {@code Provider}, {@code Row ID}, {@code Software} (zbatch), and {@code XML:com.adobe.xmp} (the same XMP
 * packet JPEG and WebP get). Text chunks already there under these keywords are replaced, so embedding twice
 * (a duplicate row's copy) leaves one set.
 */
final class PngTextChunks {

    static final String XMP_KEYWORD = "XML:com.adobe.xmp";
    private static final Set<String> TEXT_TYPES = Set.of("tEXt", "zTXt", "iTXt");
    private static final Set<String> OURS = Set.of("Description", "Seed", "Model", "Provider", "Row ID", "Software",
            XMP_KEYWORD);
    private static final int SIGNATURE_LENGTH = 8;

    private PngTextChunks() {
    }

    static byte[] embed(byte[] png, ImageMetadata m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + 4096);
        out.write(png, 0, SIGNATURE_LENGTH);
        boolean inserted = false;
        int at = SIGNATURE_LENGTH;
        while (at < png.length) {
            if (at + 12 > png.length) throw new IllegalArgumentException("png chunk cut short at byte " + at);
            int length = ByteBuffer.wrap(png, at, 4).getInt();
            if (length < 0 || at + 12L + length > png.length) {
                throw new IllegalArgumentException("png chunk length out of range at byte " + at);
            }
            String type = new String(png, at + 4, 4, StandardCharsets.ISO_8859_1);
            if (type.equals("IDAT") && !inserted) {
                for (Map.Entry<String, String> text : texts(m).entrySet()) writeText(out, text.getKey(), text.getValue());
                inserted = true;
            }
            if (!(TEXT_TYPES.contains(type) && OURS.contains(keyword(png, at + 8, length)))) {
                out.write(png, at, 12 + length);
            }
            at += 12 + length;
        }
        if (!inserted) throw new IllegalArgumentException("png has no IDAT chunk");
        return out.toByteArray();
    }

    private static Map<String, String> texts(ImageMetadata m) {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("Description", m.prompt());
        if (m.seed() != null) texts.put("Seed", m.seed().toString());
        texts.put("Model", m.model());
        texts.put("Provider", m.provider());
        texts.put("Row ID", m.rowId());
        texts.put("Software", "zbatch");
        texts.put(XMP_KEYWORD, XmpPacket.of(m));
        return texts;
    }

    /** Every text chunk starts with its Latin-1 keyword and a NUL. */
    private static String keyword(byte[] png, int data, int length) {
        int end = data;
        while (end < data + length && png[end] != 0) end++;
        return new String(png, data, end - data, StandardCharsets.ISO_8859_1);
    }

    private static void writeText(ByteArrayOutputStream out, String keyword, String text) {
        // the XMP specification asks for iTXt
        if (!keyword.equals(XMP_KEYWORD) && StandardCharsets.ISO_8859_1.newEncoder().canEncode(text)) {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            data.writeBytes(keyword.getBytes(StandardCharsets.ISO_8859_1));
            data.write(0);
            data.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
            writeChunk(out, "tEXt", data.toByteArray());
        } else {
            writeITxt(out, keyword, text);
        }
    }

    /** iTXt: keyword, NUL, compression flag 0, method 0, empty language tag, NUL, empty translation, NUL, text. */
    private static void writeITxt(ByteArrayOutputStream out, String keyword, String text) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(keyword.getBytes(StandardCharsets.ISO_8859_1));
        data.writeBytes(new byte[] {0, 0, 0, 0, 0});
        data.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        writeChunk(out, "iTXt", data.toByteArray());
    }

    private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
