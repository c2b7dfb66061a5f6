package dev.zbatch.provider.registry;

import dev.zbatch.provider.account.Accounts;
import dev.zbatch.provider.pacing.CallCounts;
import dev.zbatch.run.PollSchedule;

import java.util.List;

/**
 * The accounts a run talks to, with what belongs to them: how their requests are polled, and what to stop at the
 * end (the sandbox servers, a webhook endpoint).
 */
public record ProviderHandle(Accounts accounts, PollSchedule pollSchedule, List<AutoCloseable> owned)
        implements AutoCloseable {

    /** The calls made so far through the rate limiters, all accounts together. */
    public CallCounts counts() {
        return accounts.counts();
    }

    @Override
    public void close() throws Exception {
        accounts.close();
        for (AutoCloseable resource : owned) resource.close();
    }
}
