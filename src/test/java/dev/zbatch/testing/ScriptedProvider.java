package dev.zbatch.testing;

import dev.zbatch.provider.account.Account;
import dev.zbatch.provider.account.Accounts;
import dev.zbatch.provider.pacing.CallPacer;
import dev.zbatch.provider.pacing.PacedProvider;
import dev.zbatch.provider.pacing.RateLimits;
import java.math.BigDecimal;
import java.util.List;

import dev.zbatch.provider.FetchedImage;
import dev.zbatch.provider.ImageProvider;
import dev.zbatch.provider.PollResult;
import dev.zbatch.provider.Submission;
import dev.zbatch.provider.TrackedRequest;
import dev.zbatch.request.ImageRequest;
import dev.zbatch.request.ModelSpec;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A provider that answers each call with the next answer scripted for it: a {@link Submission}, a
 * {@link PollResult}, a {@link FetchedImage}, or a RuntimeException (such as a ProviderException) to throw.
 * A call with no answer left fails the test. Single-threaded, as the unit tests that use it are.
 */
public final class ScriptedProvider implements ImageProvider {

    public final Deque<Object> submits = new ArrayDeque<>();
    public final Deque<Object> polls = new ArrayDeque<>();
    public final Deque<Object> downloads = new ArrayDeque<>();
    public int submitted;
    public int polled;
    public int collected;

    /** This provider as an account of a run, unpaced. */
    public Account account(String name, String keyVariable) {
        return account(name, keyVariable, 0);
    }

    /** This provider as an account of a run, unpaced, at {@code priority}. */
    public Account account(String name, String keyVariable, int priority) {
        return new Account(name, new PacedProvider(this, new CallPacer(RateLimits.unlimited())), keyVariable, null,
                priority);
    }

    /** This provider as a run's only account. */
    public Accounts accounts(String keyVariable) {
        return new Accounts(List.of(account("scripted", keyVariable)), BigDecimal.ONE);
    }

    @Override
    public Submission submit(String modelName, ImageRequest request) {
        submitted++;
        return next(submits, Submission.class, "submission " + submitted);
    }

    @Override
    public PollResult poll(TrackedRequest request) {
        polled++;
        return next(polls, PollResult.class, "poll " + polled);
    }

    @Override
    public FetchedImage download(URI imageUrl) {
        return next(downloads, FetchedImage.class, "download of " + imageUrl);
    }

    @Override
    public void collected(TrackedRequest request) {
        collected++;
    }

    private static <T> T next(Deque<Object> answers, Class<T> type, String call) {
        Object answer = answers.poll();
        if (answer instanceof RuntimeException e) throw e;
        if (answer == null) throw new AssertionError("no answer scripted for " + call);
        return type.cast(answer);
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public ModelSpec model(String modelName) {
        throw new UnsupportedOperationException("the scripted provider has no models");
    }

    @Override
    public void close() {
    }
}
