package dev.zbatch.provider.pacing;

import dev.zbatch.provider.FetchedImage;
import dev.zbatch.provider.ImageProvider;
import dev.zbatch.provider.PollResult;
import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.provider.Submission;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.provider.pacing.PacedProviderTest.ScriptedProvider;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.request.ModelSpec;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link PacedProvider#balance()}: forwarded after a calls token, never counted as a submit or a poll. */
class PacedProviderBalanceTest {

    static final long MS = 1_000_000L;

    /** The scripted provider of {@link PacedProviderTest} (final, so wrapped), with a balance. */
    static final class WithBalance implements ImageProvider {
        final ScriptedProvider inner;
        Optional<BigDecimal> answer = Optional.of(new BigDecimal("12.5"));

        WithBalance(FakeClock clock) {
            this.inner = new ScriptedProvider(clock);
        }

        @Override
        public Optional<BigDecimal> balance() {
            inner.calls.add("balance");
            inner.times.add(inner.clock.nanos());
            return answer;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public ModelSpec model(String modelName) {
            return inner.model(modelName);
        }

        @Override
        public Submission submit(String modelName, ImageRequest request) {
            return inner.submit(modelName, request);
        }

        @Override
        public PollResult poll(TrackedRequest request) {
            return inner.poll(request);
        }

        @Override
        public FetchedImage download(URI imageUrl) {
            return inner.download(imageUrl);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    private final FakeClock clock = new FakeClock();
    private final WithBalance delegate = new WithBalance(clock);
    /** 600 submissions and 1200 calls a minute, burst 1: a call every 50 ms. */
    private final CallPacer pacer = new CallPacer(new RateLimits(600, 1200, 1), clock, clock, () -> 0.0);
    private final PacedProvider provider = new PacedProvider(delegate, pacer);
    private final TrackedRequest tracked = new TrackedRequest("abc", URI.create("https://api.example/abc"), null);

    @Test
    void forwardsTheDelegatesBalance() {
        assertThat(provider.balance()).contains(new BigDecimal("12.5"));
        delegate.answer = Optional.empty();
        assertThat(provider.balance()).isEmpty();
        assertThat(delegate.inner.calls).containsExactly("balance", "balance");
    }

    @Test
    void aProviderWithoutABalanceStaysEmpty() {
        PacedProvider plain = new PacedProvider(new ScriptedProvider(clock), pacer);
        assertThat(plain.balance()).isEmpty();
        assertThat(plain.balanceChecks()).isEqualTo(1);
    }

    @Test
    void isPacedLikeAnyApiCallButNotCountedAsASubmitOrAPoll() {
        provider.balance();
        provider.poll(tracked);
        provider.balance();
        provider.submit("m", null);
        provider.balance();

        assertThat(delegate.inner.calls).containsExactly("balance", "poll abc", "balance", "submit m", "balance");
        assertThat(delegate.inner.times)
                .as("every call takes its turn in the calls bucket, 50 ms apart")
                .containsExactly(0L, 50 * MS, 100 * MS, 150 * MS, 200 * MS);
        assertThat(provider.counts()).isEqualTo(new CallCounts(1, 1, 0, 0));
        assertThat(provider.balanceChecks()).isEqualTo(3);
    }

    @Test
    void waitsOutARateLimitPause() {
        delegate.inner.failures.add(new ProviderException(Kind.RATE_LIMITED, 429, "slow down", Duration.ofSeconds(3),
                null));
        assertThatThrownBy(() -> provider.poll(tracked)).isInstanceOf(ProviderException.class);

        provider.balance();
        assertThat(delegate.inner.times.get(1)).isGreaterThanOrEqualTo(3000 * MS);
    }

    @Test
    void interruptedWhileWaitingSendsNothingKeepsTheFlagAndIsEmpty() {
        Sleeper interrupted = nanos -> {
            throw new InterruptedException();
        };
        CallPacer slow = new CallPacer(new RateLimits(0, 1, 1), clock, interrupted, () -> 0.0);
        PacedProvider paced = new PacedProvider(delegate, slow);
        assertThat(paced.balance()).isPresent(); // the burst token

        try {
            assertThat(paced.balance()).isEmpty();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted(); // clear it for the next test
        }
        assertThat(delegate.inner.calls).containsExactly("balance");
        assertThat(paced.balanceChecks()).isEqualTo(1);
        assertThat(paced.counts()).isEqualTo(new CallCounts(0, 0, 0, 0));
    }
}
