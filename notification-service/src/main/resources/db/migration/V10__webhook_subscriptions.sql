-- Outbound webhooks: a CRM or an automation tool subscribes to CTA changes, filtered by kind, segment
-- and team (empty: all). The secret signs each delivery (HMAC), so it is kept as given, not hashed.
CREATE TABLE webhook_subscription (
    id          VARCHAR(40)  PRIMARY KEY,
    name        TEXT         NOT NULL,
    url         TEXT         NOT NULL,
    secret      TEXT         NOT NULL,
    kinds       TEXT         NOT NULL DEFAULT '',   -- comma-separated CtaEvent kinds
    segments    TEXT         NOT NULL DEFAULT '',
    teams       TEXT         NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ  NOT NULL,
    created_by  VARCHAR(200) NOT NULL,
    removed_at  TIMESTAMPTZ
);
