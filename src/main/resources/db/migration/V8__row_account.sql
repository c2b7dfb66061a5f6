-- The account a row's request was sent to (a run may send to several); it is polled and collected there.
ALTER TABLE zb_row ADD COLUMN account VARCHAR(100);

-- An account taken out of rotation (its key refused, its credits gone, failing), and why: for status. Each run
-- starts with every account in rotation again.
CREATE TABLE zb_account_out (
    run_id       BIGINT        NOT NULL REFERENCES zb_run (run_id),
    name         VARCHAR(100)  NOT NULL,
    taken_out_at TIMESTAMP WITH TIME ZONE NOT NULL,
    reason       VARCHAR(4000) NOT NULL,
    PRIMARY KEY (run_id, name)
);
