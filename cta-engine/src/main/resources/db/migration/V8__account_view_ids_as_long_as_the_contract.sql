-- The contract allows ids of up to 200 characters (ContractChecks.MAX_ID); a CSM id or team that the
-- topic may carry must always fit.
ALTER TABLE account_view ALTER COLUMN csm_id TYPE VARCHAR(200), ALTER COLUMN csm_team TYPE VARCHAR(200);
