-- The account page lists the notifications sent about an account, newest first.
CREATE INDEX notification_account ON notification (account_id, received_at DESC);
CREATE INDEX IF NOT EXISTS delivery_event ON delivery (event_id);
