package dev.zbatch.job;

import dev.zbatch.ledger.Ledger;
import dev.zbatch.ledger.PendingRow;
import org.springframework.batch.infrastructure.item.ItemReader;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Feeds the submit step from the ledger: the PENDING rows of the input, in input order, a page at a time (the
 * reconciliation has entered every row already). A row sent, skipped or changed meanwhile is no longer PENDING
 * when its page is read, so it is not read again.
 */
class PendingRowReader implements ItemReader<PendingRow> {

    private static final int PAGE = 500;

    private final Ledger ledger;
    private final Deque<PendingRow> page = new ArrayDeque<>();
    private long afterOrdinal;
    private boolean exhausted;

    PendingRowReader(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public PendingRow read() {
        if (page.isEmpty() && !exhausted) {
            page.addAll(ledger.pendingAfter(afterOrdinal, PAGE));
            exhausted = page.size() < PAGE;
            if (!page.isEmpty()) afterOrdinal = page.peekLast().ordinal();
        }
        return page.poll();
    }
}
