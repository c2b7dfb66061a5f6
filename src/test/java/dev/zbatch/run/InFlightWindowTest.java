package dev.zbatch.run;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightWindowTest {

    private final AtomicLong submitted = new AtomicLong();
    private final InFlightWindow window = new InFlightWindow(16, submitted::get);

    @Test
    void isNearlyFullFromThreeQuartersTaken() throws InterruptedException {
        submitted.set(10);
        assertThat(window.acquire(() -> true)).isTrue(); // 10 in the ledger + 0 sending: room
        assertThat(window.nearlyFull()).isFalse();
        window.release();
        submitted.set(11);
        assertThat(window.acquire(() -> true)).isTrue(); // 11 + 1 sending are 12 of 16 at the next look
        assertThat(window.acquire(() -> true)).isTrue();
        assertThat(window.nearlyFull()).isTrue();
    }

    @Test
    void aFullWindowHoldsBackUntilARowIsCollected() throws InterruptedException {
        submitted.set(16);
        assertThat(window.acquire(() -> true)).isFalse(); // full: gives up when told to, holding nothing
        assertThat(window.nearlyFull()).isTrue();
        submitted.set(15);
        window.collected();
        assertThat(window.acquire(() -> true)).isTrue();
    }
}
