-- Test and benchmark accounts: real in every way, but kept out of the executive dashboard's figures.
ALTER TABLE account ADD COLUMN test BOOLEAN NOT NULL DEFAULT FALSE;
