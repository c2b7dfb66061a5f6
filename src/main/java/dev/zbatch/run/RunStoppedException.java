package dev.zbatch.run;

/**
 * Thrown on the submit side once the run has been told to stop, so that the current chunk is rolled back and
 * its rows are read again on the next run (their ledger states are kept: nothing is sent twice).
 */
public class RunStoppedException extends RuntimeException {

    public RunStoppedException(StopReason reason) {
        super(reason.message(), null, false, false);
    }
}
