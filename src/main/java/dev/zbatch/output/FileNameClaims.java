package dev.zbatch.output;

import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Resolves file-name collisions deterministically: the first claim of a stem gets the stem, later claims get
 * "stem-2", "stem-3", ... Stems are compared case-insensitively (and after NFC normalisation), because the
 * default macOS and Windows file systems are case-insensitive: "A1" and "a1" would be the same file there.
 * <p>
 * In-memory only: the caller persists the names it got (the ledger) and, on resume, re-claims them in the
 * same order, or passes them to {@link #preclaim}. Claims are on stems, regardless of the image extension.
 * Thread-safe.
 */
public final class FileNameClaims {

    private final Set<String> claimed = new HashSet<>();

    /**
     * Claims {@code stem} (expected to be sanitised already) or, when it is taken, the first free
     * "stem-N" with N = 2, 3, ... The stem is shortened if needed so that the result stays within
     * {@link FileNames#MAX_STEM_BYTES} UTF-8 bytes.
     */
    public synchronized String claim(String stem) {
        if (claimed.add(key(stem))) {
            return stem;
        }
        for (int n = 2; ; n++) {
            String suffix = "-" + n;
            String base = FileNames.truncateUtf8(stem, FileNames.MAX_STEM_BYTES - suffix.length());
            String candidate = base + suffix;
            if (claimed.add(key(candidate))) {
                return candidate;
            }
        }
    }

    /** Marks a name as taken without asking for it (e.g. a name the ledger already recorded). */
    public synchronized void preclaim(String stem) {
        claimed.add(key(stem));
    }

    public synchronized boolean isClaimed(String stem) {
        return claimed.contains(key(stem));
    }

    private static String key(String stem) {
        String nfc = Normalizer.normalize(stem, Normalizer.Form.NFC);
        // upper then lower folds more pairs than lower alone (e.g. the Kelvin sign, long s)
        return nfc.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }
}
