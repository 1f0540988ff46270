-- How often a ticket came back after being solved or closed (for the reopened-ticket rule).
ALTER TABLE ticket ADD COLUMN reopen_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ticket_account_created ON ticket (account_id, created_at);

-- CSM actions on CTAs.
ALTER TABLE cta ADD COLUMN snoozed_until TIMESTAMPTZ;
ALTER TABLE cta ADD COLUMN close_comment TEXT;
CREATE INDEX cta_snoozed ON cta (snoozed_until) WHERE status = 'SNOOZED';
