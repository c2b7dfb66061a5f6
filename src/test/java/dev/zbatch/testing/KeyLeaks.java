package dev.zbatch.testing;

import dev.zbatch.provider.ProviderException;
import org.junit.jupiter.api.function.Executable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Checks that an API key never shows in an exception: its message, its causes, what they suppressed. */
public final class KeyLeaks {

    private KeyLeaks() {
    }

    /** Runs the call, expects a ProviderException, and checks that no message in its chain has the key. */
    public static ProviderException fails(String key, Executable call) {
        ProviderException e = assertThrows(ProviderException.class, call);
        assertNoKey(key, e);
        return e;
    }

    public static void assertNoKey(String key, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(key);
            assertThat(t.toString()).doesNotContain(key);
            for (Throwable s : t.getSuppressed()) {
                assertThat(String.valueOf(s.getMessage())).doesNotContain(key);
            }
        }
    }
}
