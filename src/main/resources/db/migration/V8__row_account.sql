-- The account a row's request was sent to (a run may send to several); it is polled and collected there.
ALTER TABLE zb_row ADD COLUMN account VARCHAR(100);
