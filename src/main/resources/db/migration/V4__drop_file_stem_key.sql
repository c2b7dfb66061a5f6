-- Image file names are claimed in zb_file_name (case-insensitively, one entry per file a row writes);
-- the row's own lower-cased stem and its index were no longer read.
DROP INDEX zb_row_stem;
ALTER TABLE zb_row DROP COLUMN file_stem_key;
