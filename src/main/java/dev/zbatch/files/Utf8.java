package dev.zbatch.files;

import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;
import java.util.Locale;

/** Lengths and cuts of text measured in UTF-8 bytes, the unit a file system limits a name in. */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * The longest prefix of {@code s} whose UTF-8 encoding has at most {@code maxBytes} bytes. Cuts between
     * user-perceived characters where possible (so a base letter keeps its combining marks), else between
     * code points; never inside a surrogate pair.
     */
    public static String truncate(String s, int maxBytes) {
        if (length(s) <= maxBytes) {
            return s;
        }
        BreakIterator chars = BreakIterator.getCharacterInstance(Locale.ROOT);
        chars.setText(s);
        int bytes = 0;
        int cut = 0;
        for (int end = chars.next(); end != BreakIterator.DONE; end = chars.next()) {
            int clusterBytes = length(s.substring(cut, end));
            if (bytes + clusterBytes > maxBytes) {
                break;
            }
            bytes += clusterBytes;
            cut = end;
        }
        if (cut == 0) { // the first character alone is too long (e.g. piled-up combining marks): cut code points
            int i = 0;
            while (i < s.length()) {
                int cp = s.codePointAt(i);
                int cpBytes = length(new String(Character.toChars(cp)));
                if (bytes + cpBytes > maxBytes) {
                    break;
                }
                bytes += cpBytes;
                i += Character.charCount(cp);
            }
            cut = i;
        }
        return s.substring(0, cut);
    }

    public static int length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
