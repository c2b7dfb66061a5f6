package dev.zbatch.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Looks for an API key, byte by byte, in every file under a folder: as UTF-8, UTF-16 (both byte orders), base64
 * (standard and URL-safe, at each of the three alignments it can have inside a longer encoded text) and hex, and
 * also for long pieces of it (a key printed cut short is still a leak).
 */
final class SecretScan {

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretScan() {
    }

    /** A 40-character key that cannot occur by chance: {@code zbk-SECRET-} and 29 random alphanumerics. */
    static String newKey() {
        StringBuilder key = new StringBuilder("zbk-SECRET-");
        while (key.length() < 40) key.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        return key.toString();
    }

    /** Every byte form of the key looked for, by a name that says which form it is. */
    static Map<String, byte[]> forms(String key) {
        Map<String, byte[]> forms = new LinkedHashMap<>();
        String random = key.substring(key.length() - 29);
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("key", key);
        texts.put("first 12 random chars", random.substring(0, 12));
        texts.put("last 12 random chars", random.substring(random.length() - 12));
        texts.forEach((name, text) -> {
            forms.put(name + " (UTF-8)", text.getBytes(StandardCharsets.UTF_8));
            forms.put(name + " (UTF-16LE)", text.getBytes(StandardCharsets.UTF_16LE));
            forms.put(name + " (UTF-16BE)", text.getBytes(StandardCharsets.UTF_16BE));
        });
        byte[] raw = key.getBytes(StandardCharsets.UTF_8);
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[shift + raw.length];
            System.arraycopy(raw, 0, shifted, shift, raw.length);
            int groups = shifted.length / 3; // full 3-byte groups: their 4 characters depend on the key alone
            int from = shift == 0 ? 0 : 1;  // the first group holds filler bytes when shifted
            String standard = Base64.getEncoder().encodeToString(shifted).substring(from * 4, groups * 4);
            String urlSafe = Base64.getUrlEncoder().encodeToString(shifted).substring(from * 4, groups * 4);
            forms.put("base64, offset " + shift, standard.getBytes(StandardCharsets.US_ASCII));
            forms.put("base64url, offset " + shift, urlSafe.getBytes(StandardCharsets.US_ASCII));
            forms.put("base64 as UTF-16LE, offset " + shift, standard.getBytes(StandardCharsets.UTF_16LE));
        }
        forms.put("hex", HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII));
        forms.put("HEX", HexFormat.of().withUpperCase().formatHex(raw).getBytes(StandardCharsets.US_ASCII));
        return forms;
    }

    /** "file: form" for every file under {@code root} holding a form of the key; empty when none does. */
    static List<String> findings(Path root, String key) {
        Map<String, byte[]> forms = forms(key);
        List<String> found = new ArrayList<>();
        for (Path file : files(root)) {
            String content = latin1(file);
            forms.forEach((name, bytes) -> {
                if (content.contains(new String(bytes, StandardCharsets.ISO_8859_1))) {
                    found.add(root.relativize(file) + ": " + name);
                }
            });
        }
        return found;
    }

    /** Whether this text, in UTF-8, is somewhere in the file: a check that the scan can see what it scans. */
    static boolean contains(Path file, String text) {
        return latin1(file).contains(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }

    static List<Path> files(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes as ISO-8859-1 text: one char per byte, so that String.contains is a byte search. */
    private static String latin1(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
