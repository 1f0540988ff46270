-- Shared by every service with a transactional outbox (repeatable: applied after the service's own
-- migrations, again whenever this file changes). Retention deletes relayed rows by their age.
CREATE INDEX IF NOT EXISTS outbox_event_relayed ON outbox_event (published_at) WHERE published_at IS NOT NULL;
