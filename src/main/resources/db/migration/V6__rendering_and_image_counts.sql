-- The manifests are a rendering of the run's rows and images. Every statement that changes them takes a number
-- from zb_row_changes before it commits (a sequence: no lock, never rolled back); a rendering takes one too, and
-- records it in reported_changes. When the next rendering's number follows it directly, nothing changed in between: an
-- unchanged input read again need not write millions of identical lines again.
CREATE SEQUENCE zb_row_changes;
ALTER TABLE zb_run ADD COLUMN reported_changes BIGINT;

-- How many images a row has, kept with the row: a progress reading counts a run's images in the same pass over
-- its rows that counts their states, rather than joining every image to its row.
ALTER TABLE zb_row ADD COLUMN images INT DEFAULT 0 NOT NULL;
UPDATE zb_row r SET images = (SELECT COUNT(*) FROM zb_image i WHERE i.run_id = r.run_id AND i.row_no = r.row_no)
WHERE EXISTS (SELECT 1 FROM zb_image i WHERE i.run_id = r.run_id AND i.row_no = r.row_no);

-- A provider may answer with another size or format than asked (a model that works on a grid rounds the size):
-- the image is kept, and how it differs is recorded with it ("asked 1000x1000, got 992x992"); mismatched counts a
-- row's images that differ.
ALTER TABLE zb_image ADD COLUMN mismatch VARCHAR(500);
ALTER TABLE zb_row ADD COLUMN mismatched INT DEFAULT 0 NOT NULL;

-- A row served from the content cache (zbatch.cache.dir): the run that made its images; nothing was sent.
ALTER TABLE zb_row ADD COLUMN cached_from VARCHAR(2000);
