package dev.zbatch.output;

import dev.zbatch.files.Utf8;
import dev.zbatch.files.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns row content (prompts, id columns, rendered name templates) into file-name stems that are safe on
 * Linux, macOS and Windows and cannot leave the folder they are written to.
 * <p>
 * A stem never starts with a dot, so it can never be mistaken for one of {@link AtomicFiles}'s
 * {@code .<name>.<random>.part} temporary files.
 */
public final class FileNames {

    /** Upper bound of a sanitised stem, in UTF-8 bytes (file systems limit names to 255 bytes). */
    public static final int MAX_STEM_BYTES = 120;

    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern APOSTROPHES = Pattern.compile("['\u2019\u02BC]");
    private static final Pattern NON_ALNUM = Pattern.compile("[^a-z0-9]+");

    private static final Set<String> RESERVED_DEVICE_NAMES = Set.of("CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$");
    private static final Pattern RESERVED_NUMBERED = Pattern.compile("(?i)(COM|LPT)[0-9\u00B9\u00B2\u00B3]");

    private FileNames() {
    }

    /**
     * A lower-case ASCII slug of the prompt's first words, joined by '-', e.g. "Crème brûlée, close-up!"
     * gives "creme-brulee-close-up". Accents are stripped (NFD), a few Latin letters without a decomposition
     * are transliterated (ß, æ, ø, œ, ł, đ, þ), other non-ASCII letters are dropped, so a prompt in a non-Latin
     * script gives an empty slug. The result is at most {@code maxChars} long, cut at a word boundary when
     * possible, and never starts or ends with '-'.
     */
    public static String slug(String prompt, int maxWords, int maxChars) {
        if (prompt == null || maxWords <= 0 || maxChars <= 0) {
            return "";
        }
        String s = Normalizer.normalize(prompt, Normalizer.Form.NFKD);
        s = COMBINING_MARKS.matcher(s).replaceAll("");
        s = transliterate(s).toLowerCase(Locale.ROOT);
        s = APOSTROPHES.matcher(s).replaceAll("");
        String[] words = NON_ALNUM.split(s);
        StringBuilder out = new StringBuilder();
        int taken = 0;
        for (String word : words) {
            if (word.isEmpty()) {
                continue;
            }
            if (taken == maxWords) {
                break;
            }
            int needed = (out.length() == 0 ? 0 : 1) + word.length();
            if (out.length() + needed > maxChars) {
                if (out.length() == 0) {
                    out.append(word, 0, maxChars); // a single over-long first word: cut it
                }
                break;
            }
            if (out.length() > 0) {
                out.append('-');
            }
            out.append(word);
            taken++;
        }
        return out.toString();
    }

    private static String transliterate(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case 'ß' -> b.append("ss");
                case 'æ' -> b.append("ae");
                case 'Æ' -> b.append("AE");
                case 'ø' -> b.append('o');
                case 'Ø' -> b.append('O');
                case 'œ' -> b.append("oe");
                case 'Œ' -> b.append("OE");
                case 'ł' -> b.append('l');
                case 'Ł' -> b.append('L');
                case 'đ' -> b.append('d');
                case 'Đ' -> b.append('D');
                case 'þ' -> b.append("th");
                case 'Þ' -> b.append("TH");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * A safe file-name stem from untrusted text. NFC-normalises and keeps Unicode letters, but replaces path
     * separators (/ and \), runs of two or more dots (".."), control characters (including NUL), line
     * separators, bidi override/isolate controls, lone surrogates and any of {@code <>:"|?*} with '_'
     * (a run of replaced characters becomes one '_'); strips leading and trailing dots and spaces; prefixes
     * Windows device names (CON, PRN, AUX, NUL, COM0-9, LPT0-9, also with an extension such as "con.txt")
     * with '_'; bounds the result to {@value #MAX_STEM_BYTES} UTF-8 bytes, cut between characters. A null or
     * empty result becomes "_".
     */
    public static String sanitize(String raw) {
        if (raw == null) {
            return "_";
        }
        String s = Normalizer.normalize(raw, Normalizer.Form.NFC);
        s = replaceUnsafe(s);
        s = stripDotsAndSpaces(s);
        if (isReservedDeviceName(s)) {
            s = "_" + s;
        }
        s = Utf8.truncate(s, MAX_STEM_BYTES);
        s = stripDotsAndSpaces(s);
        if (isReservedDeviceName(s)) { // cannot happen after a 120-byte cut, but stay safe
            s = Utf8.truncate("_" + s, MAX_STEM_BYTES);
        }
        return s.isEmpty() ? "_" : s;
    }

    private static String replaceUnsafe(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean lastReplaced = false;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = Character.charCount(cp);
            boolean replace;
            if (cp == '.' && i + 1 < s.length() && s.charAt(i + 1) == '.') {
                replace = true;
                while (i + len < s.length() && s.charAt(i + len) == '.') {
                    len++;
                }
            } else {
                replace = isUnsafe(cp);
            }
            if (replace) {
                if (!lastReplaced) {
                    b.append('_');
                }
                lastReplaced = true;
            } else {
                b.appendCodePoint(cp);
                lastReplaced = false;
            }
            i += len;
        }
        return b.toString();
    }

    private static boolean isUnsafe(int cp) {
        switch (cp) {
            case '/', '\\', '<', '>', ':', '"', '|', '?', '*':
                return true;
            default:
                break;
        }
        if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
            return true; // a lone surrogate is not encodable as UTF-8
        }
        int type = Character.getType(cp);
        if (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
            return true;
        }
        // bidi embeddings/overrides/isolates and marks: they make a name display differently from what it is
        return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F
                || cp == 0xFEFF;
    }

    private static String stripDotsAndSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isDotOrSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isDotOrSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isDotOrSpace(char c) {
        return c == '.' || c == ' ' || c == '\u00A0' || c == '\u3000';
    }

    /** True for Windows device names, alone or followed by an extension ("con", "Con.txt", "COM1.tar.gz"). */
    static boolean isReservedDeviceName(String stem) {
        int dot = stem.indexOf('.');
        String base = (dot < 0 ? stem : stem.substring(0, dot)).stripTrailing().toUpperCase(Locale.ROOT);
        return RESERVED_DEVICE_NAMES.contains(base) || RESERVED_NUMBERED.matcher(base).matches();
    }
}
