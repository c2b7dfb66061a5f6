package dev.zbatch.provider;

/**
 * The provider a run talks to, with what belongs to it: the environment variable its key comes from (named in
 * messages, never its value) and, for the sandbox, the embedded server to stop at the end.
 */
public record ProviderHandle(ImageProvider provider, String keyVariable, AutoCloseable owned) implements AutoCloseable {

    @Override
    public void close() throws Exception {
        provider.close();
        if (owned != null) owned.close();
    }
}
