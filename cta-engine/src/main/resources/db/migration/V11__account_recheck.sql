-- When an account's rules last asked to be evaluated again (Decisions.recheckAt), kept so the request
-- survives a restart; next_due_at already includes it.
ALTER TABLE account_clock ADD COLUMN recheck_at TIMESTAMPTZ;
