package dev.zbatch.sandbox;

import java.time.Duration;

/**
 * One accepted submission, everything needed to answer for it later (also after a restart, as it is persisted
 * as JSON in the state directory). Its fate is fixed at submission: when it finishes, whether it fails, the seed.
 *
 * <p>The last four components are boxed and nullable so that a job file without them loads as a Segmind v2 job (one
 * image, no error, no webhook).
 * Beware: a method named like a getter ({@code getX}, {@code isX}) would be persisted as a property too.
 *
 * @param id                the request id (a UUID for Segmind, {@code <model>_<UUID>} for Pixazo)
 * @param model             the model slug it was submitted to
 * @param bodyKey           {@link SandboxStats#bodyKey(String)} of its body
 * @param seed              the seed used: the request's, or a random non-negative one when it asked for -1 / none
 * @param submittedAtMillis epoch millis of acceptance
 * @param latencyMillis     total processing time; QUEUED for the first 20% of it, then PROCESSING
 * @param fails             whether it ends FAILED instead of COMPLETED
 * @param api               {@link #SEGMIND_V2}, {@link #SEGMIND_V1} or {@link #PIXAZO}; null = Segmind v2
 * @param numImages         images per job (Pixazo's num_images); null = 1
 * @param errors            whether it ends ERROR (Pixazo only; wins over {@code fails}); null = false
 * @param webhookUrl        Pixazo's X-Webhook-URL, or null
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
        boolean fails,
        String api,
        Integer numImages,
        Boolean errors,
        String webhookUrl) {

    static final String FAILURE_MESSAGE = "Content blocked by the sandbox's safety simulation";
    static final String SEGMIND_V2 = "segmind-v2";
    static final String SEGMIND_V1 = "segmind-v1";
    static final String PIXAZO = "pixazo";

    /** A Segmind v2 job: one image, no ERROR state, no webhook. */
    SandboxJob(String id, String model, String bodyKey, String prompt, int width, int height, int steps,
               double guidanceScale, long seed, String imageFormat, int quality, boolean base64,
               long submittedAtMillis, long latencyMillis, boolean fails) {
        this(id, model, bodyKey, prompt, width, height, steps, guidanceScale, seed, imageFormat, quality, base64,
                submittedAtMillis, latencyMillis, fails, SEGMIND_V2, 1, false, null);
    }

    SandboxJobPhase phaseAt(long nowMillis) {
        long elapsed = nowMillis - submittedAtMillis;
        if (elapsed >= latencyMillis) {
            if (Boolean.TRUE.equals(errors)) return SandboxJobPhase.ERROR;
            return fails ? SandboxJobPhase.FAILED : SandboxJobPhase.COMPLETED;
        }
        if (elapsed * 5 < latencyMillis) return SandboxJobPhase.QUEUED;
        return SandboxJobPhase.PROCESSING;
    }

    /** Epoch millis at which it leaves QUEUED (the first instant {@link #phaseAt} is no longer QUEUED). */
    long processingFromMillis() {
        return submittedAtMillis + (latencyMillis + 4) / 5;
    }

    /** Epoch millis at which it is done (COMPLETED, FAILED or ERROR). */
    long doneAtMillis() {
        return submittedAtMillis + latencyMillis;
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

    /** {@link #api()} with null read as Segmind v2. */
    String apiName() {
        return api == null ? SEGMIND_V2 : api;
    }

    int imageCount() {
        return numImages == null ? 1 : numImages;
    }
}
