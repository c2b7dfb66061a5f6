-- The manifests are a rendering of the run's rows and images. row_changes counts the statements that changed
-- them; reported_changes is that count when the manifests were last written in full. When the two agree, a run
-- that changed nothing (an unchanged input read again) need not write millions of identical lines again.
ALTER TABLE zb_run ADD COLUMN row_changes BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE zb_run ADD COLUMN reported_changes BIGINT;
