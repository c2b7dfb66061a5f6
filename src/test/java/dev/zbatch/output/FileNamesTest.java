package dev.zbatch.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileNamesTest {

    @Test
    void slugOfAnEnglishPromptTakesTheFirstWords() {
        assertThat(FileNames.slug("Studio photo of a Red Sneaker, white background!", 4, 60))
                .isEqualTo("studio-photo-of-a");
    }

    @Test
    void slugStripsAccentsAndTransliteratesLatinLetters() {
        assertThat(FileNames.slug("Crème brûlée at the Straße café, Ærøskøbing", 10, 80))
                .isEqualTo("creme-brulee-at-the-strasse-cafe-aeroskobing");
    }

    @Test
    void slugOfAHindiPromptIsEmpty() {
        assertThat(FileNames.slug("एक लाल जूता, सफ़ेद पृष्ठभूमि", 6, 60)).isEmpty();
    }

    @Test
    void slugKeepsLatinWordsOfAMixedPromptAndHasNoStrayDashes() {
        assertThat(FileNames.slug("  -- 红色 sneaker -- 白色 background --", 6, 60)).isEqualTo("sneaker-background");
    }

    @Test
    void slugRespectsMaxCharsAtAWordBoundary() {
        assertThat(FileNames.slug("alpha beta gamma delta", 10, 12)).isEqualTo("alpha-beta");
        assertThat(FileNames.slug("supercalifragilistic", 10, 5)).isEqualTo("super");
        assertThat(FileNames.slug("Don't panic", 5, 40)).isEqualTo("dont-panic");
    }

    @Test
    void sanitizeRemovesPathTraversal() {
        String s = FileNames.sanitize("../../etc/passwd");
        assertThat(s).doesNotContain("/", "..").doesNotStartWith(".").isEqualTo("_etc_passwd");
    }

    @Test
    void sanitizeReplacesBothSeparators() {
        assertThat(FileNames.sanitize("a/b\\c")).isEqualTo("a_b_c");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CON", "con", "con.txt", "Aux", "NUL.png", "com1", "LPT9.tar.gz", "prn"})
    void sanitizePrefixesWindowsDeviceNames(String name) {
        assertThat(FileNames.sanitize(name)).isEqualTo("_" + name);
    }

    @Test
    void sanitizeLeavesNamesThatOnlyStartLikeDeviceNames() {
        assertThat(FileNames.sanitize("console")).isEqualTo("console");
        assertThat(FileNames.sanitize("com10")).isEqualTo("com10");
    }

    @Test
    void sanitizeStripsLeadingAndTrailingDotsAndSpaces() {
        assertThat(FileNames.sanitize("  .hidden")).isEqualTo("hidden");
        assertThat(FileNames.sanitize("trailing. ")).isEqualTo("trailing");
        assertThat(FileNames.sanitize("v1.2")).isEqualTo("v1.2");
    }

    @Test
    void sanitizeReplacesControlCharactersAndReservedPunctuationCollapsingRuns() {
        assertThat(FileNames.sanitize("a\u0000b\u0001\u001F\tc\nd")).isEqualTo("a_b_c_d");
        assertThat(FileNames.sanitize("what<>:\"|?*now")).isEqualTo("what_now");
        assertThat(FileNames.sanitize("evil\u202Egnp.exe")).isEqualTo("evil_gnp.exe");
    }

    @Test
    void sanitizeKeepsUnicodeLettersAndNormalisesToNfc() {
        assertThat(FileNames.sanitize("लाल-जूता")).isEqualTo("लाल-जूता");
        assertThat(FileNames.sanitize("红色运动鞋")).isEqualTo("红色运动鞋");
        assertThat(FileNames.sanitize("cafe\u0301")).isEqualTo("caf\u00E9");
    }

    @Test
    void sanitizeBoundsALongChineseIdTo120BytesOfValidUtf8() throws CharacterCodingException {
        String id = "红".repeat(150) + "鞋".repeat(150);
        String s = FileNames.sanitize(id);
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        assertThat(bytes.length).isLessThanOrEqualTo(120).isEqualTo(120); // 40 chars of 3 bytes
        String decoded = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        assertThat(decoded).isEqualTo("红".repeat(40));
    }

    @Test
    void sanitizeNeverSplitsASurrogatePair() {
        String s = FileNames.sanitize("a" + "😀".repeat(100)); // 1 + 4n bytes
        assertThat(s.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(120);
        assertThat(s).isEqualTo("a" + "😀".repeat(29));
    }

    @Test
    void sanitizeOfNothingIsAnUnderscore() {
        assertThat(FileNames.sanitize("")).isEqualTo("_");
        assertThat(FileNames.sanitize(null)).isEqualTo("_");
        assertThat(FileNames.sanitize(" . .. ")).isEqualTo("_");
        assertThat(FileNames.sanitize("..")).isEqualTo("_");
    }
}
