package dev.zbatch.cost;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FirstLinesTest {

    @Test
    void remembersTheFirstLineOfEachKeyThroughGrowth() {
        FirstLines lines = new FirstLines();
        Hash64 hash = new Hash64();
        for (long i = 0; i < 100_000; i++) {
            assertThat(lines.putIfAbsent(hash.of("id-" + i), i + 2)).isEqualTo(FirstLines.NONE);
        }
        for (long i = 0; i < 100_000; i += 997) {
            assertThat(lines.putIfAbsent(hash.of("id-" + i), 1_000_000)).isEqualTo(i + 2);
        }
        assertThat(lines.size()).isEqualTo(100_000);
    }

    @Test
    void keyZeroAndNeighbouringKeysAreDistinct() {
        FirstLines lines = new FirstLines();
        assertThat(lines.putIfAbsent(0, 5)).isEqualTo(FirstLines.NONE);
        assertThat(lines.putIfAbsent(1, 6)).isEqualTo(FirstLines.NONE);
        assertThat(lines.putIfAbsent(-1, 7)).isEqualTo(FirstLines.NONE);
        assertThat(lines.putIfAbsent(0, 8)).isEqualTo(5);
        assertThat(lines.putIfAbsent(1, 8)).isEqualTo(6);
        assertThat(lines.putIfAbsent(-1, 8)).isEqualTo(7);
    }

    @Test
    void hexPrefixIsTheSameKeyAsTheDigest() {
        String text = "{\"prompt\":\"a fox\"}";
        assertThat(Hash64.ofHex(dev.zbatch.request.CanonicalJson.sha256(text))).isEqualTo(new Hash64().of(text));
    }
}
