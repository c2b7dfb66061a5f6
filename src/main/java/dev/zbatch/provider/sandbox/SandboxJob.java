package dev.zbatch.provider.sandbox;

import java.time.Duration;

/**
 * One accepted submission, everything needed to answer for it later (also after a restart, as it is persisted
 * as JSON in the state directory). Its fate is fixed at submission: when it finishes, whether it fails, the seed.
 *
 * @param id                the request id (a UUID)
 * @param model             the model slug it was submitted to
 * @param bodyKey           {@link SandboxStats#bodyKey(String)} of its body
 * @param seed              the seed used: the request's, or a random non-negative one when it asked for -1
 * @param submittedAtMillis epoch millis of acceptance
 * @param latencyMillis     total processing time; QUEUED for the first 20% of it, then PROCESSING
 * @param fails             whether it ends FAILED instead of COMPLETED
 */
record SandboxJob(
        String id,
        String model,
        String bodyKey,
        String prompt,
        int width,
        int height,
        int steps,
        double guidanceScale,
        long seed,
        String imageFormat,
        int quality,
        boolean base64,
        long submittedAtMillis,
        long latencyMillis,
        boolean fails) {

    static final String FAILURE_MESSAGE = "Content blocked by the sandbox's safety simulation";

    SandboxJobPhase phaseAt(long nowMillis) {
        long elapsed = nowMillis - submittedAtMillis;
        if (elapsed >= latencyMillis) return fails ? SandboxJobPhase.FAILED : SandboxJobPhase.COMPLETED;
        if (elapsed * 5 < latencyMillis) return SandboxJobPhase.QUEUED;
        return SandboxJobPhase.PROCESSING;
    }

    boolean expiredAt(long nowMillis, Duration retention) {
        return nowMillis - submittedAtMillis >= retention.toMillis();
    }

    /** Seconds of "inference": the PROCESSING part of the latency, to the millisecond. */
    double inferenceSeconds() {
        return Math.round(latencyMillis * 0.8) / 1000.0;
    }

    SandboxImageFormat format() {
        return SandboxImageFormat.of(imageFormat);
    }
}
