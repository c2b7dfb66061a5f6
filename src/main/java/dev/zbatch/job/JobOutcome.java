package dev.zbatch.job;

import org.springframework.batch.core.BatchStatus;

import java.util.List;

/**
 * How the job ended this time.
 *
 * @param alreadyComplete the run had finished before; nothing was done
 * @param failures        what ended the job early (empty when it completed)
 */
public record JobOutcome(BatchStatus status, boolean alreadyComplete, List<Throwable> failures) {

    public boolean completed() {
        return status == BatchStatus.COMPLETED;
    }
}
