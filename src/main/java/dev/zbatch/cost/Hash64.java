package dev.zbatch.cost;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * 64-bit keys for remembering what has been seen without keeping it: the first 8 bytes of a SHA-256. Two
 * different values share a key with a probability of about n²/2⁶⁵ (1 in 36 million for a million rows).
 */
final class Hash64 {

    private final MessageDigest sha256;

    Hash64() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first 8 bytes of the SHA-256 of {@code text} in UTF-8. */
    long of(String text) {
        byte[] digest = sha256.digest(text.getBytes(StandardCharsets.UTF_8));
        long key = 0;
        for (int i = 0; i < 8; i++) key = (key << 8) | (digest[i] & 0xFF);
        return key;
    }

    /** The first 8 bytes of a SHA-256 given in hex (as {@code CanonicalJson.sha256} gives it). */
    static long ofHex(String sha256Hex) {
        return Long.parseUnsignedLong(sha256Hex.substring(0, 16), 16);
    }
}
