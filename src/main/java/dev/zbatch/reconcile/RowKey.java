package dev.zbatch.reconcile;

import dev.zbatch.request.RowPlan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A row's identity in the ledger, never its position in the file: {@code id:} and its id column when it has one,
 * else {@code row:} and a fingerprint of its content (every column by name, so reordering columns changes
 * nothing). The n-th of several rows with the same id or content gets {@code #n} after it, so repeated rows stay
 * distinct and a repeat added below keeps the earlier ones as they were.
 */
public final class RowKey {

    private RowKey() {
    }

    /** The key of the first (or only) row with this id or content. */
    public static String of(RowPlan plan) {
        if (plan.id() != null) return "id:" + plan.id();
        if (plan.row().unreadable()) return "bad:" + fingerprint(Map.of("", plan.row().problem()));
        return "row:" + fingerprint(plan.row().fields());
    }

    /** The key of the {@code occurrence}-th row (1-based) with the same first key. */
    public static String occurrence(String first, int occurrence) {
        return occurrence == 1 ? first : first + "#" + occurrence;
    }

    /** 128 bits of SHA-256 over the columns sorted by name: enough to tell a billion rows apart. */
    static String fingerprint(Map<String, String> fields) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Map.Entry<String, String> field : new TreeMap<>(fields).entrySet()) {
            sha.update(field.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(field.getValue().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        byte[] digest = sha.digest();
        return HexFormat.of().formatHex(digest, 0, 16);
    }
}
