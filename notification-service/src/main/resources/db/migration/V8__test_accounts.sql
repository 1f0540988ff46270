-- The account view is the same in every service (account-view module): test accounts are flagged.
ALTER TABLE account_view ADD COLUMN test BOOLEAN NOT NULL DEFAULT FALSE;
