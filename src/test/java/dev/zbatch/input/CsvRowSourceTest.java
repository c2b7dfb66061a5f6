package dev.zbatch.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.zbatch.input.TestFiles.concat;
import static dev.zbatch.input.TestFiles.readAll;
import static dev.zbatch.input.TestFiles.utf8;
import static dev.zbatch.input.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class CsvRowSourceTest {

    @TempDir
    Path dir;

    @Test
    void readsBomAndCrlfAndStripsBomFromFirstHeaderName() {
        Path file = write(dir, "p.csv", concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                utf8("id,prompt\r\na1,first\r\na2,second\r\n")));
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS)) {
            assertThat(source.columns()).containsExactly("id", "prompt");
            InputRow first = source.next();
            assertThat(first.fields()).containsExactly(entry("id", "a1"), entry("prompt", "first"));
            assertThat(first.rowNo()).isEqualTo(1);
            assertThat(first.line()).isEqualTo(2);
            InputRow second = source.next();
            assertThat(second.field("prompt")).isEqualTo("second");   // no stray \r
            assertThat(second.line()).isEqualTo(3);
            assertThat(source.next()).isNull();
        }
    }

    @Test
    void quotedCommasDoubledQuotesAndLineBreaksKeepLineNumbersRight() {
        String text = "id,prompt,seed\n"
                + "a1,\"red, white and \"\"blue\"\"\",1\n"                // line 2
                + "a2,\"line one\nline two\n\nline four\",2\n"          // lines 3-6
                + "a3,after the multi-line one,3\n"                     // line 7
                + "a4,\"  spaces kept  \",\n";                          // line 8
        List<InputRow> rows = readAll(write(dir, "p.csv", text));

        assertThat(rows).extracting(InputRow::line).containsExactly(2L, 3L, 7L, 8L);
        assertThat(rows).extracting(InputRow::rowNo).containsExactly(1L, 2L, 3L, 4L);
        assertThat(rows.get(0).field("prompt")).isEqualTo("red, white and \"blue\"");
        assertThat(rows.get(1).field("prompt")).isEqualTo("line one\nline two\n\nline four");
        assertThat(rows.get(2).field("seed")).isEqualTo("3");
        assertThat(rows.get(3).field("prompt")).isEqualTo("  spaces kept  ");
        assertThat(rows.get(3).fields()).containsEntry("seed", "");
    }

    @Test
    void crlfInsideAQuotedFieldCountsAsOneLineBreakAndReadsAsLf() {
        String text = "id,prompt\r\na1,\"one\r\ntwo\r\nthree\"\r\na2,next\r\n";
        List<InputRow> rows = readAll(write(dir, "p.csv", text));
        assertThat(rows.get(0).field("prompt")).isEqualTo("one\ntwo\nthree");
        assertThat(rows.get(1).line()).isEqualTo(5);
    }

    @Test
    void keepsBackslashesAndHeaderNamesAreTrimmed() {
        List<InputRow> rows = readAll(write(dir, "p.csv", " id , prompt \na1,C:\\images\\\n"));
        assertThat(rows.get(0).fields()).containsExactly(entry("id", "a1"), entry("prompt", "C:\\images\\"));
    }

    @Test
    void raggedRowWithMoreFieldsIsAnErrorNamingFileAndLine() {
        Path file = write(dir, "ragged.csv", "id,prompt\na1,fine\n\na2,a red car, blue sky\n");
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS)) {
            assertThat(source.next()).isNotNull();
            assertThatThrownBy(source::next)
                    .isInstanceOf(InputException.class)
                    .hasMessageContaining("ragged.csv:4:")
                    .hasMessageContaining("3 fields but the header has 2 columns")
                    .satisfies(e -> assertThat(((InputException) e).line()).isEqualTo(4));
        }
    }

    @Test
    void rowWithFewerFieldsLeavesTrailingColumnsAbsent() {
        List<InputRow> rows = readAll(write(dir, "p.csv", "id,prompt,width,height\na1,cat\na2,dog,512\n"));
        assertThat(rows.get(0).fields()).containsExactly(entry("id", "a1"), entry("prompt", "cat"));
        assertThat(rows.get(1).fields()).containsOnlyKeys("id", "prompt", "width");
        assertThat(rows.get(1).field("height")).isNull();
    }

    @Test
    void blankLinesAreSkippedButCounted() {
        List<InputRow> rows = readAll(write(dir, "p.csv", "\nid,prompt\n\n\na1,x\n\r\na2,y\n\n"));
        assertThat(rows).extracting(InputRow::line).containsExactly(5L, 7L);
        assertThat(rows).extracting(InputRow::rowNo).containsExactly(1L, 2L);
    }

    @Test
    void unbalancedQuoteAtEndOfFileNamesTheLineWhereTheRowStarts() {
        Path file = write(dir, "open.csv", "id,prompt\na1,ok\na2,\"never closed\nmore text\neven more\n");
        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ":3: ")
                .hasMessageContaining("unbalanced double quote");
    }

    @Test
    void strayQuoteCannotSwallowTheRestOfALargeFile() {
        StringBuilder sb = new StringBuilder("id,prompt\na1,\"oops\n");
        for (int i = 0; i < CsvRowSource.MAX_LINES_PER_RECORD + 10; i++) sb.append("r").append(i).append(",x\n");
        Path file = write(dir, "stray.csv", sb.toString());
        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ":2: ")
                .hasMessageContaining("unbalanced double quote");
    }

    @Test
    void invalidUtf8IsAnErrorWithItsLine() {
        Path file = write(dir, "latin1.csv", concat(utf8("id,prompt\na1,ok\na2,caf"),
                new byte[]{(byte) 0xE9}, utf8(" au lait\na3,later\n")));
        try (RowSource source = InputFiles.open(file, InputOptions.DEFAULTS)) {
            assertThat(source.next().field("prompt")).isEqualTo("ok");
            assertThatThrownBy(source::next)
                    .isInstanceOf(InputException.class)
                    .hasMessageStartingWith(file + ":3: ")
                    .hasMessageContaining("not valid UTF-8")
                    .hasMessageContaining("0xE9");
        }
    }

    @Test
    void invalidUtf8FarIntoTheFileAndInsideAQuotedFieldHasTheRightLine() {
        StringBuilder sb = new StringBuilder("id,prompt\n");
        for (int i = 1; i <= 5000; i++) sb.append("r").append(i).append(",prompt number ").append(i).append('\n');
        // row starts at line 5002, the bad byte is on line 5004
        sb.append("bad,\"first line\nsecond line\nthird ");
        Path file = write(dir, "deep.csv", concat(utf8(sb.toString()), new byte[]{(byte) 0xFF}, utf8("\"\n")));
        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(InputException.class)
                .satisfies(e -> assertThat(((InputException) e).line()).isEqualTo(5004))
                .hasMessageContaining("0xFF");
    }

    @Test
    void nulByteIsAnErrorNamingLineAndField() {
        Path file = write(dir, "nul.csv", "id,prompt\na1,ok\na2,bad\0value\n");
        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ":3: field 'prompt': ")
                .hasMessageContaining("NUL");
    }

    @Test
    void duplicateHeaderNameIsAnErrorOnLine1() {
        Path file = write(dir, "dup.csv", "id,prompt, id\na1,x,y\n");
        assertThatThrownBy(() -> InputFiles.open(file, InputOptions.DEFAULTS))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ":1: field 'id': duplicate column name");
    }

    @Test
    void emptyHeaderNameIsAnErrorOnLine1() {
        Path file = write(dir, "empty-name.csv", "id,,prompt\na1,x,y\n");
        assertThatThrownBy(() -> InputFiles.open(file, InputOptions.DEFAULTS))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ":1: ")
                .hasMessageContaining("column 2 of the header has no name");
    }

    @Test
    void utf16FileIsReportedNotMisread() {
        Path file = write(dir, "utf16.csv", "id,prompt\na1,x\n".getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        assertThatThrownBy(() -> InputFiles.open(file, InputOptions.DEFAULTS))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("UTF-16");
    }

    @Test
    void fileWithOnlyBlankLinesHasNoHeader() {
        Path file = write(dir, "blank.csv", "\n\r\n\n");
        assertThatThrownBy(() -> InputFiles.open(file, InputOptions.DEFAULTS))
                .isInstanceOf(InputException.class)
                .satisfies(e -> assertThat(((InputException) e).line()).isZero())
                .hasMessageContaining("no header row");
    }

    @Test
    void headerOnlyFileIsAnErrorWhenOpened() {
        Path file = write(dir, "h.csv", "id,prompt\n\n");
        assertThatThrownBy(() -> InputFiles.open(file, InputOptions.DEFAULTS))
                .isInstanceOf(InputException.class)
                .hasMessage(file + ":1: the file has a header row but no data rows")
                .satisfies(e -> assertThat(((InputException) e).rowNo()).isZero());
    }

    @Test
    void lastLineWithoutLineEndIsRead() {
        List<InputRow> rows = readAll(write(dir, "p.csv", "id,prompt\na1,x\na2,\"y\nz\""));
        assertThat(rows).extracting(r -> r.field("prompt")).containsExactly("x", "y\nz");
        assertThat(rows.get(1).line()).isEqualTo(3);
    }
}
