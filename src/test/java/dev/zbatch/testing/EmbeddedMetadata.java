package dev.zbatch.testing;

import org.apache.commons.imaging.Imaging;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads back the metadata zbatch writes into images, with readers other than zbatch's own writers: XMP through
 * Apache Commons Imaging (JPEG, WebP and PNG), PNG text chunks through the JDK's PNG reader.
 */
public final class EmbeddedMetadata {

    public static final String ZBATCH_NS = "https://zbatch.dev/ns/xmp/1.0/";

    private EmbeddedMetadata() {
    }

    /**
     * The XMP fields: {@code Description} (dc:description), {@code CreatorTool}, and zbatch's {@code Seed},
     * {@code Model}, {@code Provider}, {@code RowId}; empty when the image has no XMP.
     */
    public static Map<String, String> xmp(byte[] image) throws Exception {
        String xml = Imaging.getXmpXml(image);
        Map<String, String> fields = new LinkedHashMap<>();
        if (xml == null) return fields;
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        NodeList descriptions = doc.getElementsByTagNameNS("http://purl.org/dc/elements/1.1/", "description");
        if (descriptions.getLength() > 0) {
            Element li = (Element) ((Element) descriptions.item(0))
                    .getElementsByTagNameNS("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "li").item(0);
            fields.put("Description", li.getTextContent());
        }
        NodeList tools = doc.getElementsByTagNameNS("http://ns.adobe.com/xap/1.0/", "CreatorTool");
        if (tools.getLength() > 0) fields.put("CreatorTool", tools.item(0).getTextContent());
        NodeList ours = doc.getElementsByTagNameNS(ZBATCH_NS, "*");
        for (int i = 0; i < ours.getLength(); i++) {
            Node node = ours.item(i);
            if (fields.put(node.getLocalName(), node.getTextContent()) != null) {
                throw new AssertionError("XMP has " + node.getLocalName() + " twice");
            }
        }
        return fields;
    }

    /** The PNG's tEXt and iTXt chunks, keyword to text; fails if a keyword appears twice. */
    public static Map<String, String> pngText(byte[] png) throws Exception {
        Map<String, String> texts = new LinkedHashMap<>();
        pngTextChunks(png).forEach((keyword, chunk) -> texts.put(keyword, chunk[1]));
        return texts;
    }

    /** The type of chunk ("tEXt" or "iTXt") each PNG text keyword is in. */
    public static Map<String, String> pngTextTypes(byte[] png) throws Exception {
        Map<String, String> types = new LinkedHashMap<>();
        pngTextChunks(png).forEach((keyword, chunk) -> types.put(keyword, chunk[0]));
        return types;
    }

    /** keyword to {chunk type, text}, read with the JDK's PNG reader */
    private static Map<String, String[]> pngTextChunks(byte[] png) throws Exception {
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            reader.setInput(in);
            IIOMetadata metadata = reader.getImageMetadata(0);
            Node root = metadata.getAsTree("javax_imageio_png_1.0");
            Map<String, String[]> texts = new LinkedHashMap<>();
            for (Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
                String type = chunk.getNodeName();
                if (!type.equals("iTXt") && !type.equals("tEXt")) continue;
                for (Node entry = chunk.getFirstChild(); entry != null; entry = entry.getNextSibling()) {
                    Element e = (Element) entry;
                    String text = e.getAttribute(type.equals("iTXt") ? "text" : "value");
                    if (texts.put(e.getAttribute("keyword"), new String[] {type, text}) != null) {
                        throw new AssertionError("PNG has the text " + e.getAttribute("keyword") + " twice");
                    }
                }
            }
            return texts;
        } finally {
            reader.dispose();
        }
    }
}
