package dev.zbatch.provider.sandbox;

/** Where a sandbox job stands, named as Segmind names its states. */
enum SandboxJobPhase {
    QUEUED, PROCESSING, COMPLETED, FAILED;

    boolean done() {
        return this == COMPLETED || this == FAILED;
    }
}
