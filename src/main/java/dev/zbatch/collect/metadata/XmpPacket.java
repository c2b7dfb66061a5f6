package dev.zbatch.collect.metadata;

import java.nio.charset.StandardCharsets;

/**
 * The XMP packet (XML) written into JPEG, WebP and PNG images: the prompt as {@code dc:description} (tools show
 * it as the image's Description), {@code xmp:CreatorTool} zbatch, and the rest in zbatch's own namespace
 * ({@code zbatch:Seed}, {@code zbatch:Model}, {@code zbatch:Provider}, {@code zbatch:RowId}).
 */
final class XmpPacket {

    static final String NAMESPACE = "https://zbatch.dev/ns/xmp/1.0/";
    private static final String ELLIPSIS = "…";

    private XmpPacket() {
    }

    static String of(ImageMetadata m) {
        return of(m, Integer.MAX_VALUE);
    }

    /**
     * The packet in at most {@code maxBytes} of UTF-8 (a JPEG segment holds about 64 KB): a prompt too long for
     * that is cut short and ends with an ellipsis.
     */
    static String of(ImageMetadata m, int maxBytes) {
        String full = render(m, escape(m.prompt()));
        int size = utf8Length(full);
        if (size <= maxBytes) return full;
        int budget = utf8Length(escape(m.prompt())) - (size - maxBytes) - utf8Length(ELLIPSIS);
        if (budget < 0) throw new IllegalArgumentException("metadata does not fit in " + maxBytes + " bytes");
        return render(m, escapedPrefix(m.prompt(), budget) + ELLIPSIS);
    }

    private static String render(ImageMetadata m, String escapedPrompt) {
        StringBuilder xml = new StringBuilder(512 + escapedPrompt.length());
        xml.append("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
                .append("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n")
                .append(" <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n")
                .append("  <rdf:Description rdf:about=\"\"\n")
                .append("    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n")
                .append("    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n")
                .append("    xmlns:zbatch=\"").append(NAMESPACE).append("\">\n")
                .append("   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">").append(escapedPrompt)
                .append("</rdf:li></rdf:Alt></dc:description>\n")
                .append("   <xmp:CreatorTool>zbatch</xmp:CreatorTool>\n");
        if (m.seed() != null) element(xml, "Seed", m.seed().toString());
        element(xml, "Model", escape(m.model()));
        element(xml, "Provider", escape(m.provider()));
        element(xml, "RowId", escape(m.rowId()));
        return xml.append("  </rdf:Description>\n")
                .append(" </rdf:RDF>\n")
                .append("</x:xmpmeta>\n")
                .append("<?xpacket end=\"w\"?>")
                .toString();
    }

    private static void element(StringBuilder xml, String name, String escapedValue) {
        xml.append("   <zbatch:").append(name).append('>').append(escapedValue)
                .append("</zbatch:").append(name).append(">\n");
    }

    /** Escapes text for XML element content; a carriage return is written as a reference so parsers keep it. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> out.append(escape(c)));
        return out.toString();
    }

    private static String escape(int c) {
        switch (c) {
            case '&':
                return "&amp;";
            case '<':
                return "&lt;";
            case '>':
                return "&gt;";
            case '\r':
                return "&#xD;";
            default:
                return new String(Character.toChars(c));
        }
    }

    /** The longest start of {@code text}, whole code points, whose escaped form fits in {@code budget} bytes. */
    private static String escapedPrefix(String text, int budget) {
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            String escaped = escape(c);
            int size = utf8Length(escaped);
            if (used + size > budget) break;
            out.append(escaped);
            used += size;
            i += Character.charCount(c);
        }
        return out.toString();
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
