-- What the executive dashboard shows: the account's health from its snapshot, and when a CTA was escalated.
ALTER TABLE account_view ADD COLUMN health_score integer;
ALTER TABLE account_view ADD COLUMN health_color text;
ALTER TABLE cta ADD COLUMN escalated_at timestamptz;
UPDATE cta SET escalated_at = updated_at WHERE escalated;
CREATE INDEX cta_escalated_open ON cta (escalated_at) WHERE escalated AND status <> 'CLOSED';
CREATE INDEX cta_opened_at ON cta (opened_at);
CREATE INDEX cta_closed_at ON cta (closed_at) WHERE closed_at IS NOT NULL;
