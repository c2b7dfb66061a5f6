package dev.zbatch.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Tells whoever shows the run (the command line) what the reconciliation found, before anything is sent. */
public final class DeltaAnnouncer {

    private final List<Consumer<Delta>> listeners = new ArrayList<>();

    public synchronized void onDelta(Consumer<Delta> listener) {
        listeners.add(listener);
    }

    public synchronized void announce(Delta delta) {
        for (Consumer<Delta> listener : listeners) listener.accept(delta);
    }
}
