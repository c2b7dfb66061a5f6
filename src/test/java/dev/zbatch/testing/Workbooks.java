package dev.zbatch.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes small and large {@code .xlsx} workbooks for the tests, streamed (Office Open XML by hand: one sheet,
 * inline strings, a few number formats). A cell is a String (text), a Number (General), or a {@link Styled}.
 */
public final class Workbooks {

    /** The number formats a {@link Styled} cell may use, by name; their index is the cell's style. */
    public static final List<String> FORMATS = List.of("General", "0.00", "yyyy-mm-dd", "d mmm yyyy", "0%");

    /** A number shown in one of {@link #FORMATS}. */
    public record Styled(Number value, String format) {
    }

    private Workbooks() {
    }

    public static Path write(Path file, Iterator<List<Object>> rows) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            entry(zip, "[Content_Types].xml", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
                    <Default Extension="xml" ContentType="application/xml"/>
                    <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
                    <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
                    <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
                    </Types>""");
            entry(zip, "_rels/.rels", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
                    </Relationships>""");
            entry(zip, "xl/workbook.xml", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
                    <sheets><sheet name="Products" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            entry(zip, "xl/_rels/workbook.xml.rels", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
                    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
                    </Relationships>""");
            StringBuilder numFmts = new StringBuilder();
            StringBuilder xfs = new StringBuilder("<xf numFmtId=\"0\"/>");
            for (int i = 1; i < FORMATS.size(); i++) {
                numFmts.append("<numFmt numFmtId=\"").append(163 + i).append("\" formatCode=\"").append(FORMATS.get(i))
                        .append("\"/>");
                xfs.append("<xf numFmtId=\"").append(163 + i).append("\" applyNumberFormat=\"1\"/>");
            }
            entry(zip, "xl/styles.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                    + "<numFmts count=\"" + (FORMATS.size() - 1) + "\">" + numFmts + "</numFmts>"
                    + "<cellXfs count=\"" + FORMATS.size() + "\">" + xfs + "</cellXfs></styleSheet>");
            zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
            Writer w = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/"
                    + "spreadsheetml/2006/main\"><sheetData>");
            for (int r = 1; rows.hasNext(); r++) {
                w.write("<row r=\"" + r + "\">");
                List<Object> cells = rows.next();
                for (int c = 0; c < cells.size(); c++) {
                    Object cell = cells.get(c);
                    if (cell == null) continue;
                    String ref = (char) ('A' + c) + Integer.toString(r);
                    if (cell instanceof String text) {
                        w.write("<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + escape(text) + "</t></is></c>");
                    } else if (cell instanceof Styled styled) {
                        w.write("<c r=\"" + ref + "\" s=\"" + FORMATS.indexOf(styled.format()) + "\"><v>" + styled.value()
                                + "</v></c>");
                    } else {
                        w.write("<c r=\"" + ref + "\"><v>" + cell + "</v></c>");
                    }
                }
                w.write("</row>");
            }
            w.write("</sheetData></worksheet>");
            w.flush();
            zip.closeEntry();
        }
        return file;
    }

    private static void entry(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
