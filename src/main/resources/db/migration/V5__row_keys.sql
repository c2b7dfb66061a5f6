-- A row is its key, not its position. Every run reads its whole input again and reconciles it with the ledger by
-- key: new keys are entered, a key whose request changed gets a new version of its row (the old one stays, with
-- what it cost and the images it has), a key no longer in the input is marked removed (its files stay).
--   row_key       the row's identity: 'id:' || its id column, else 'row:' || a fingerprint of its content
--                 (plus '#n' for the n-th of several rows with the same id or content)
--   row_no        from now on the ledger's own number for a row version: given once, never reused
--   ordinal       the row's position among the input's data rows, as last read (the manifest's order)
--   superseded_by the version that replaced this one when the row's request changed; null for the live one
--   removed_pass  the pass whose input no longer had this key; null while it is in the input
ALTER TABLE zb_row ADD COLUMN row_key VARCHAR(1100);
ALTER TABLE zb_row ADD COLUMN ordinal BIGINT;
ALTER TABLE zb_row ADD COLUMN superseded_by BIGINT;
ALTER TABLE zb_row ADD COLUMN removed_pass INT;

-- Ledgers made before keys: a row with an id keeps it as its key; the others (and rows refused for repeating an
-- id) get a placeholder that the next reconciliation replaces, matching them by position and request once.
UPDATE zb_row SET ordinal = row_no,
    row_key = CASE WHEN row_id IS NOT NULL AND NOT (state = 'REJECTED' AND error_field = 'id')
                   THEN 'id:' || row_id ELSE 'legacy:' || row_no END;
ALTER TABLE zb_row ALTER COLUMN row_key SET NOT NULL;
ALTER TABLE zb_row ALTER COLUMN ordinal SET NOT NULL;

-- the key first: a look-up of a chunk of keys (row_key IN (...)) uses it
CREATE INDEX zb_row_key ON zb_row (row_key, run_id);
CREATE INDEX zb_row_pending ON zb_row (run_id, state, ordinal);
-- a reconciliation reads the rows it expects next by their position as last read: one range, no key look-ups
CREATE INDEX zb_row_ordinal ON zb_row (run_id, ordinal);
-- the file names a chunk of new rows wishes for are looked up together (name_key IN (...)): the name first
CREATE INDEX zb_file_name_key ON zb_file_name (name_key, run_id);

-- Changed rows found by a reconciliation, held until the whole input has been read: a change that would make
-- most existing images again is stated and needs the user's yes before anything is replaced.
CREATE TABLE zb_change (
    run_id         BIGINT        NOT NULL,
    old_row_no     BIGINT        NOT NULL,
    ordinal        BIGINT        NOT NULL,
    line           BIGINT        NOT NULL,
    row_id         VARCHAR(1000),
    stem_candidate VARCHAR(500),
    prompt         CHARACTER VARYING,
    request_json   CHARACTER VARYING,
    request_hash   CHAR(64),
    state          VARCHAR(12)   NOT NULL,
    error_field    VARCHAR(200),
    error          VARCHAR(4000),
    fixed_seed     BOOLEAN       NOT NULL,
    images         INT           NOT NULL,
    PRIMARY KEY (run_id, old_row_no)
);

-- The run follows its input: which file it read last, and what the last reconciliation found.
ALTER TABLE zb_run ADD COLUMN reconciled_pass INT;             -- the last pass whose reconciliation finished
ALTER TABLE zb_run ADD COLUMN reconciled_at   TIMESTAMP WITH TIME ZONE;
ALTER TABLE zb_run ADD COLUMN delta_new       BIGINT;
ALTER TABLE zb_run ADD COLUMN delta_changed   BIGINT;
ALTER TABLE zb_run ADD COLUMN delta_unchanged BIGINT;
ALTER TABLE zb_run ADD COLUMN delta_removed   BIGINT;
ALTER TABLE zb_run ADD COLUMN delta_held      BIGINT;          -- changes found but not applied (not accepted)

-- A new version of a row (its request changed) names the one it replaced: the manifest lists the images the
-- earlier versions left, and where they are.
ALTER TABLE zb_row ADD COLUMN replaces BIGINT;
