package dev.zbatch.provider.pacing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Submissions that wait for a calls token go before polls; polls keep what submissions leave. Real threads in
 * virtual time.
 */
class CallPacerPriorityTest {

    static final long S = 1_000_000_000L;

    private final SimScheduler sim = new SimScheduler();
    private final List<Long> submitTimes = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> pollTimes = Collections.synchronizedList(new ArrayList<>());

    private SimScheduler.Task submitter(CallPacer pacer, int n) {
        return () -> {
            for (int i = 0; i < n; i++) {
                pacer.beforeSubmit();
                submitTimes.add(sim.nanos());
            }
        };
    }

    private SimScheduler.Task poller(CallPacer pacer, int n) {
        return () -> {
            for (int i = 0; i < n; i++) {
                pacer.beforeCall();
                pollTimes.add(sim.nanos());
            }
        };
    }

    @Test
    void waitingSubmissionsTakeTheCallsTokensBeforePolls() throws Exception {
        CallPacer pacer = new CallPacer(new RateLimits(0, 60, 1), sim, sim, () -> 0.0);

        sim.run(List.of(poller(pacer, 5), poller(pacer, 5), submitter(pacer, 5)));

        assertThat(submitTimes).hasSize(5);
        assertThat(pollTimes).hasSize(10);
        long lastSubmit = submitTimes.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(lastSubmit).as("submissions take consecutive tokens").isLessThanOrEqualTo(5 * S);
        assertThat(pollTimes).filteredOn(t -> t < lastSubmit).as("only a poll that came first at t = 0")
                .allMatch(t -> t == 0).hasSizeLessThanOrEqualTo(1);
        List<Long> all = new ArrayList<>(submitTimes);
        all.addAll(pollTimes);
        Collections.sort(all);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i)).as("one call per second, no token wasted").isEqualTo(i * S);
        }
    }

    /** A submitter that chooses among accounts: it tries for a turn, says it waits, and sleeps what it is told. */
    private SimScheduler.Task tryingSubmitter(CallPacer pacer, int n) {
        return () -> {
            for (int i = 0; i < n; i++) {
                pacer.submissionWaiting(true);
                try {
                    for (long wait = pacer.trySubmitNow(); wait != 0; wait = pacer.trySubmitNow()) sim.sleep(wait);
                } finally {
                    pacer.submissionWaiting(false);
                }
                submitTimes.add(sim.nanos());
            }
        };
    }

    @Test
    void aSubmissionThatTriesForATurnGoesBeforePollsWhileItSaysItWaits() throws Exception {
        CallPacer pacer = new CallPacer(new RateLimits(0, 60, 1), sim, sim, () -> 0.0);

        sim.run(List.of(poller(pacer, 5), poller(pacer, 5), tryingSubmitter(pacer, 5)));

        assertThat(submitTimes).hasSize(5);
        long lastSubmit = submitTimes.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(lastSubmit).as("submissions take consecutive tokens").isLessThanOrEqualTo(5 * S);
        assertThat(pollTimes).filteredOn(t -> t < lastSubmit).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void withoutWaitingSubmissionsPollsUseTheWholeRate() throws Exception {
        CallPacer pacer = new CallPacer(new RateLimits(0, 60, 1), sim, sim, () -> 0.0);

        sim.run(List.of(poller(pacer, 5), poller(pacer, 5)));

        assertThat(pollTimes).hasSize(10);
        assertThat(pollTimes.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(9 * S);
    }

    @Test
    void pollsKeepWhatSlowerSubmissionsLeave() throws Exception {
        // submissions at most 30/min of the 60 calls/min: polls get the other half
        CallPacer pacer = new CallPacer(new RateLimits(30, 60, 1), sim, sim, () -> 0.0);

        sim.run(List.of(submitter(pacer, 10), submitter(pacer, 10), poller(pacer, 20), poller(pacer, 20)));

        long lastSubmit = submitTimes.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(lastSubmit).as("20 submissions at 2 s each (39 s when a poll took t = 0)").isBetween(38 * S, 39 * S);
        assertThat(pollTimes).filteredOn(t -> t <= lastSubmit).as("polls were not starved").hasSizeGreaterThanOrEqualTo(18);
    }
}
