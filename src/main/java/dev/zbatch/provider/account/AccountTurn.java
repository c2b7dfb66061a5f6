package dev.zbatch.provider.account;

import dev.zbatch.provider.SubmitTurn;

/**
 * A turn to send one submission at {@code account}. {@link #close()} it once the answer is recorded: while the
 * account has accepted nothing yet, its turns go one at a time, so that a wrong key costs one submission.
 */
public final class AccountTurn implements AutoCloseable {

    private final Account account;
    private final SubmitTurn turn;
    private final boolean probing;

    AccountTurn(Account account, SubmitTurn turn, boolean probing) {
        this.account = account;
        this.turn = turn;
        this.probing = probing;
    }

    public Account account() {
        return account;
    }

    public SubmitTurn turn() {
        return turn;
    }

    @Override
    public void close() {
        if (probing) account.endProbe();
    }
}
