package dev.zbatch.provider.registry;

import dev.zbatch.provider.ImageProvider;
import dev.zbatch.run.PollSchedule;
import dev.zbatch.provider.pacing.CallCounts;
import dev.zbatch.provider.pacing.PacedProvider;

import java.util.List;

/**
 * The provider a run talks to, with what belongs to it: the environment variable its key comes from (named in
 * messages, never its value), how its requests are polled, and what to stop at the end (the sandbox server, a
 * webhook endpoint).
 */
public record ProviderHandle(ImageProvider provider, String keyVariable, PollSchedule pollSchedule,
                             List<AutoCloseable> owned) implements AutoCloseable {

    /** The calls made so far through the rate limiter (all zero when the provider is not paced). */
    public CallCounts counts() {
        return provider instanceof PacedProvider paced ? paced.counts() : new CallCounts(0, 0, 0, 0);
    }

    @Override
    public void close() throws Exception {
        provider.close();
        for (AutoCloseable resource : owned) resource.close();
    }
}
