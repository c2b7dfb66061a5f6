package dev.zbatch.provider;

import dev.zbatch.collect.PollSchedule;

import java.util.List;

/**
 * The provider a run talks to, with what belongs to it: the environment variable its key comes from (named in
 * messages, never its value), how its requests are polled, and what to stop at the end (the sandbox server, a
 * webhook endpoint).
 */
public record ProviderHandle(ImageProvider provider, String keyVariable, PollSchedule pollSchedule,
                             List<AutoCloseable> owned) implements AutoCloseable {

    @Override
    public void close() throws Exception {
        provider.close();
        for (AutoCloseable resource : owned) resource.close();
    }
}
