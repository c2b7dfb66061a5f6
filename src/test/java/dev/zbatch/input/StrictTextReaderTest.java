package dev.zbatch.input;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

import static dev.zbatch.input.TestFiles.concat;
import static dev.zbatch.input.TestFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictTextReaderTest {

    private static String readAll(byte[] bytes, int chunk) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Reader r = new StrictTextReader(new ByteArrayInputStream(bytes))) {
            char[] buf = new char[chunk];
            for (int n; (n = r.read(buf, 0, chunk)) >= 0; ) sb.append(buf, 0, n);
        }
        return sb.toString();
    }

    @Test
    void decodesMultiByteCharactersAcrossBufferBoundaries() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3000; i++) sb.append("a").append(i % 7 == 0 ? "ड्रैगन 春茶节 😀" : "é").append('\n');
        String text = sb.toString();
        assertThat(readAll(utf8(text), 8192)).isEqualTo(text);
        assertThat(readAll(utf8(text), 7)).isEqualTo(text);
    }

    @Test
    void dropsOnlyALeadingBom() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        assertThat(readAll(concat(bom, utf8("x\uFEFFy")), 100)).isEqualTo("x\uFEFFy");
        assertThat(readAll(bom, 100)).isEmpty();
    }

    @Test
    void handsOutGoodTextBeforeReportingTheBadByteWithItsLine() throws IOException {
        byte[] bytes = concat(utf8("one\r\ntwo\rthree\nfo"), new byte[]{(byte) 0x80}, utf8("ur\n"));
        StringBuilder got = new StringBuilder();
        Reader r = new StrictTextReader(new ByteArrayInputStream(bytes));
        char[] buf = new char[64];
        assertThatThrownBy(() -> {
            for (int n; (n = r.read(buf, 0, buf.length)) >= 0; ) got.append(buf, 0, n);
        }).isInstanceOfSatisfying(UndecodableTextException.class, e -> {
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.byteOffset()).isEqualTo(17);
        });
        assertThat(got.toString()).isEqualTo("one\r\ntwo\rthree\nfo");
    }

    @Test
    void reportsABadByteRightAtABufferBoundary() {
        byte[] head = new byte[8192];
        for (int i = 0; i < head.length; i++) head[i] = (byte) (i % 100 == 99 ? '\n' : 'x');
        byte[] bytes = concat(head, new byte[]{(byte) 0xC0, (byte) 0xAF}, utf8("\n"));
        assertThatThrownBy(() -> readAll(bytes, 8192))
                .isInstanceOfSatisfying(UndecodableTextException.class, e -> {
                    assertThat(e.line()).isEqualTo(82);
                    assertThat(e.byteOffset()).isEqualTo(8192);
                });
    }

    @Test
    void reportsASequenceCutOffAtTheEndOfTheFile() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = concat(utf8("a\nb"), new byte[]{euro[0], euro[1]});
        assertThatThrownBy(() -> readAll(bytes, 100))
                .isInstanceOfSatisfying(UndecodableTextException.class, e -> assertThat(e.line()).isEqualTo(2));
    }
}
