package dev.zbatch.sandbox;

/**
 * Where a sandbox job stands, named as Segmind and Pixazo name their states. ERROR (a system error, not charged)
 * exists at Pixazo only.
 */
enum SandboxJobPhase {
    QUEUED, PROCESSING, COMPLETED, FAILED, ERROR;

    boolean done() {
        return this == COMPLETED || this == FAILED || this == ERROR;
    }
}
