package dev.zbatch.job;

import org.springframework.batch.core.BatchStatus;

import java.util.List;

/**
 * How the job ended this time.
 *
 * @param failures what ended the job early (empty when it completed)
 */
public record JobOutcome(BatchStatus status, List<Throwable> failures) {

    public boolean completed() {
        return status == BatchStatus.COMPLETED;
    }
}
