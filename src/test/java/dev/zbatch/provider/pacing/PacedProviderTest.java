package dev.zbatch.provider.pacing;

import dev.zbatch.provider.FetchedImage;
import dev.zbatch.provider.ImageProvider;
import dev.zbatch.provider.PollResult;
import dev.zbatch.provider.ProviderException;
import dev.zbatch.provider.ProviderException.Kind;
import dev.zbatch.provider.Submission;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.request.ModelSpec;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PacedProviderTest {

    static final long MS = 1_000_000L;

    /** The provider being decorated: records what reached it (and when), answers from a script. */
    static final class ScriptedProvider implements ImageProvider {
        final FakeClock clock;
        final List<String> calls = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        final Deque<RuntimeException> failures = new ArrayDeque<>();
        boolean closed;

        ScriptedProvider(FakeClock clock) {
            this.clock = clock;
        }

        private void called(String what) {
            calls.add(what);
            times.add(clock.nanos());
            RuntimeException failure = failures.poll();
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public ModelSpec model(String modelName) {
            calls.add("model " + modelName);
            return null;
        }

        @Override
        public Submission submit(String modelName, ImageRequest request) {
            called("submit " + modelName);
            return new Submission("r" + calls.size(), URI.create("https://api.example/r"), null, null);
        }

        @Override
        public PollResult poll(TrackedRequest request) {
            called("poll " + request.requestId());
            return new PollResult.Pending("QUEUED");
        }

        @Override
        public FetchedImage download(URI imageUrl) {
            called("download " + imageUrl);
            return new FetchedImage(new byte[] {1, 2, 3}, "image/png");
        }

        @Override
        public void collected(TrackedRequest request) {
            calls.add("collected " + request.requestId());
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final FakeClock clock = new FakeClock();
    private final ScriptedProvider inner = new ScriptedProvider(clock);
    private final CallPacer pacer = new CallPacer(new RateLimits(600, 1200, 1), clock, clock, () -> 0.0);
    private final PacedProvider provider = new PacedProvider(inner, pacer);
    private final TrackedRequest tracked = new TrackedRequest("abc", URI.create("https://api.example/abc"), null);
    private final URI image = URI.create("https://cdn.example/abc.png");

    private static ProviderException tooMany(Duration retryAfter) {
        return new ProviderException(Kind.RATE_LIMITED, 429, "slow down", retryAfter, null);
    }

    @Test
    void forwardsEveryCallAndCountsThem() {
        assertThat(provider.name()).isEqualTo("scripted");
        provider.model("z-image-turbo");
        Submission s = provider.submit("z-image-turbo", null);
        assertThat(provider.poll(tracked)).isEqualTo(new PollResult.Pending("QUEUED"));
        assertThat(provider.download(image).bytes()).containsExactly(1, 2, 3);
        provider.collected(tracked);
        provider.close();

        assertThat(s.requestId()).isEqualTo("r2");
        assertThat(inner.calls).containsExactly("model z-image-turbo", "submit z-image-turbo", "poll abc",
                "download " + image, "collected abc");
        assertThat(inner.closed).isTrue();
        assertThat(provider.counts()).isEqualTo(new CallCounts(1, 1, 1, 0));
    }

    @Test
    void pacesSubmitsAndPollsButNotDownloads() {
        for (int i = 0; i < 3; i++) {
            provider.submit("m", null);
        }
        assertThat(inner.times).containsExactly(0L, 100 * MS, 200 * MS);

        for (int i = 0; i < 5; i++) {
            provider.download(image);
        }
        assertThat(clock.nanos()).as("downloads never wait").isEqualTo(200 * MS);

        provider.poll(tracked);
        provider.poll(tracked);
        assertThat(inner.times.subList(8, 10)).containsExactly(250 * MS, 300 * MS);
        assertThat(provider.counts()).isEqualTo(new CallCounts(3, 2, 5, 0));
    }

    @Test
    void rateLimitedAnswerPausesThePacerAndIsRethrown() {
        ProviderException answer = tooMany(Duration.ofSeconds(3));
        inner.failures.add(answer);

        assertThatThrownBy(() -> provider.submit("m", null)).isSameAs(answer);
        assertThat(pacer.rateLimitedAnswers()).isEqualTo(1);
        assertThat(pacer.rateFactor()).isCloseTo(0.7, within(1e-9));

        provider.poll(tracked);
        assertThat(inner.times.get(1)).as("the retry waits for Retry-After").isGreaterThanOrEqualTo(3000 * MS);
        assertThat(provider.counts()).isEqualTo(new CallCounts(1, 1, 0, 1));
    }

    @Test
    void rateLimitedPollsAndDownloadsAreReportedToo() {
        inner.failures.add(tooMany(null));
        assertThatThrownBy(() -> provider.poll(tracked)).isInstanceOf(ProviderException.class);
        clock.advance(Duration.ofSeconds(1));
        inner.failures.add(tooMany(null));
        assertThatThrownBy(() -> provider.download(image)).isInstanceOf(ProviderException.class);

        assertThat(pacer.rateLimitedAnswers()).isEqualTo(2);
        assertThat(pacer.pauseRemaining()).as("second consecutive 429: 2 s").isEqualTo(Duration.ofSeconds(2));
        assertThat(provider.counts().rateLimited()).isEqualTo(2);
    }

    @Test
    void anAnsweredApiCallResetsTheBackoffButADownloadDoesNot() {
        inner.failures.add(tooMany(null));
        assertThatThrownBy(() -> provider.poll(tracked)).isInstanceOf(ProviderException.class);
        clock.advance(Duration.ofSeconds(1));
        provider.download(image); // a CDN answering says nothing about the API
        inner.failures.add(tooMany(null));
        assertThatThrownBy(() -> provider.poll(tracked)).isInstanceOf(ProviderException.class);
        assertThat(pacer.pauseRemaining()).isEqualTo(Duration.ofSeconds(2));

        clock.advance(Duration.ofSeconds(2));
        provider.poll(tracked); // answered
        inner.failures.add(tooMany(null));
        assertThatThrownBy(() -> provider.poll(tracked)).isInstanceOf(ProviderException.class);
        assertThat(pacer.pauseRemaining()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void otherFailuresPassThroughWithoutSlowingDown() {
        ProviderException serverError = new ProviderException(Kind.TRANSIENT, 503, "busy");
        inner.failures.add(serverError);

        assertThatThrownBy(() -> provider.poll(tracked)).isSameAs(serverError);
        assertThat(pacer.rateLimitedAnswers()).isZero();
        assertThat(pacer.rateFactor()).isEqualTo(1.0);
        assertThat(provider.counts()).isEqualTo(new CallCounts(0, 1, 0, 0));
    }

    @Test
    void interruptedWhileWaitingSendsNothingAndKeepsTheFlag() {
        Sleeper interrupted = nanos -> {
            throw new InterruptedException();
        };
        CallPacer slow = new CallPacer(new RateLimits(1, 0, 1), clock, interrupted, () -> 0.0);
        PacedProvider paced = new PacedProvider(inner, slow);
        paced.submit("m", null); // the burst token

        try {
            assertThatThrownBy(() -> paced.submit("m", null))
                    .isInstanceOfSatisfying(ProviderException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
                        assertThat(e.httpStatus()).isZero();
                        assertThat(e).hasMessage("interrupted while waiting for the rate limit");
                        assertThat(e.getCause()).isInstanceOf(InterruptedException.class);
                    });
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted(); // clear it for the next test
        }
        assertThat(inner.calls).containsExactly("submit m");
        assertThat(paced.counts().submits()).isEqualTo(1);
    }
    @Test
    void aRunToldToStopDoesNotSitOutAnHourLong429Pause() throws InterruptedException {
        provider.submit("m", null);
        pacer.rateLimited(Duration.ofHours(1)); // Retry-After: 3600
        long pausedAt = clock.nanos();
        boolean[] stopped = {false};
        clock.onSleep(nanos -> {
            if (clock.nanos() - pausedAt >= 2000 * MS) stopped[0] = true; // Ctrl-C two seconds into the pause
        });
        provider.giveUpWaitingWhen(() -> stopped[0], () -> stopped[0]);

        assertThatThrownBy(() -> provider.poll(tracked)).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(e).hasMessageContaining("the run is stopping: not sent");
        });

        assertThat(clock.nanos() - pausedAt).as("waited at most a check interval past the stop")
                .isLessThanOrEqualTo(2000 * MS + CallPacer.GIVE_UP_CHECK_MILLIS * MS);
        assertThat(inner.calls).as("nothing went out during the pause").containsExactly("submit m");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        // a run that is not stopping still waits the pause out
        stopped[0] = false;
        clock.onSleep(nanos -> { });
        provider.giveUpWaitingWhen(() -> false, () -> false);
        provider.poll(tracked);
        assertThat(clock.nanos() - pausedAt).isGreaterThanOrEqualTo(3600_000 * MS);
    }
}
