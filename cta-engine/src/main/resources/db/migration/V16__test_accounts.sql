-- Test and benchmark accounts (from the snapshots): the executive dashboard leaves them out.
ALTER TABLE account_view ADD COLUMN test BOOLEAN NOT NULL DEFAULT FALSE;
