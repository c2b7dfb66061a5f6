-- Where the run stood when the process working on it began (rows done, images): status reckons the pace and ETA
-- from them exactly as that process's own progress display does, so the two agree at the same moment.
ALTER TABLE zb_run ADD COLUMN done_at_start BIGINT;
ALTER TABLE zb_run ADD COLUMN images_at_start BIGINT;
