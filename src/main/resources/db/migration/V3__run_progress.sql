-- What `status` shows about the process working on a run, from the ledger alone (it may run in another process).
ALTER TABLE zb_run ADD COLUMN rows_total   BIGINT;                    -- the input's data rows, counted at run start
ALTER TABLE zb_run ADD COLUMN started_at   TIMESTAMP WITH TIME ZONE;  -- when the latest process began working on it
ALTER TABLE zb_run ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;  -- renewed every few seconds while it works
ALTER TABLE zb_run ADD COLUMN ended_at     TIMESTAMP WITH TIME ZONE;  -- when it ended (null while working, or killed)
ALTER TABLE zb_run ADD COLUMN outcome      VARCHAR(2000);             -- how it ended, in words
