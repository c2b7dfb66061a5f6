package dev.zbatch.input;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;

/** A CSV file's separator: the one named, or with {@code auto} the one its header line uses most. */
final class CsvDelimiters {

    private static final String CANDIDATES = ",;|\t";
    private static final int HEADER_AT_MOST = 1 << 16;

    private CsvDelimiters() {
    }

    /** @param in marks and resets: nothing is consumed */
    static char of(Path file, BufferedInputStream in, Charset charset, String setting) {
        char named = TextEncodings.delimiter(setting);
        return named != 0 ? named : mostUsed(headerLine(file, in, charset));
    }

    /** The candidate the line holds most often outside double quotes; a comma when it holds none. */
    static char mostUsed(String line) {
        int[] counts = new int[CANDIDATES.length()];
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') quoted = !quoted;
            int at = CANDIDATES.indexOf(c);
            if (!quoted && at >= 0) counts[at]++;
        }
        int best = 0;
        for (int i = 1; i < counts.length; i++) if (counts[i] > counts[best]) best = i;
        return CANDIDATES.charAt(best);
    }

    private static String headerLine(Path file, BufferedInputStream in, Charset charset) {
        try {
            in.mark(HEADER_AT_MOST);
            byte[] start = in.readNBytes(HEADER_AT_MOST);
            in.reset();
            String text = new String(start, charset); // lenient: only for counting separators
            int end = text.indexOf('\n');
            return end >= 0 ? text.substring(0, end) : text;
        } catch (IOException e) {
            throw new InputException(file, 0, null, "cannot read the file: " + e.getMessage());
        }
    }
}
