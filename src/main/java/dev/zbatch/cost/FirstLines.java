package dev.zbatch.cost;

/**
 * Remembers, for each 64-bit key (a hash of an id or of a request), the line on which it was first seen. Open
 * addressing over two {@code long} arrays: about 32 bytes per key at most, against some 60 for a
 * {@code HashMap<Long, Long>}, so that a million-row file fits easily in a small heap.
 */
final class FirstLines {

    /** What {@link #putIfAbsent} returns for a key not seen before. */
    static final long NONE = -1;

    private static final double MAX_LOAD = 0.6;

    private long[] keys = new long[1024];   // 0 = empty slot; the key 0 itself is kept aside
    private long[] lines = new long[1024];
    private int size;
    private boolean hasZeroKey;
    private long zeroKeyLine;

    /** Records {@code line} for {@code key} unless the key is known; returns the line first recorded, or NONE. */
    long putIfAbsent(long key, long line) {
        if (key == 0) {
            if (hasZeroKey) return zeroKeyLine;
            hasZeroKey = true;
            zeroKeyLine = line;
            size++;
            return NONE;
        }
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != 0) {
            if (keys[i] == key) return lines[i];
            i = (i + 1) & mask;
        }
        keys[i] = key;
        lines[i] = line;
        if (++size > keys.length * MAX_LOAD) grow();
        return NONE;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldLines = lines;
        keys = new long[oldKeys.length * 2];
        lines = new long[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            long key = oldKeys[j];
            if (key == 0) continue;
            int i = slot(key, mask);
            while (keys[i] != 0) i = (i + 1) & mask;
            keys[i] = key;
            lines[i] = oldLines[j];
        }
    }

    /** The keys are hash prefixes already, but a mix costs nothing and guards against poorly spread ones. */
    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
