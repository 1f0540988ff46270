-- The local account view, rebuilt from the compacted accounts.snapshots topic: who owns an account now.
CREATE TABLE account_view (
    account_id  VARCHAR(200) PRIMARY KEY,
    name        TEXT,
    segment     VARCHAR(16),
    arr         NUMERIC(14, 2),
    csm_id      VARCHAR(200),
    csm_team    VARCHAR(200),
    version     BIGINT       NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL
);

-- People Beacon can notify, as learned from the snapshots (a CSM's name, address and team).
CREATE TABLE recipient (
    recipient_id  VARCHAR(200) PRIMARY KEY,
    name          TEXT,
    email         TEXT,
    team          VARCHAR(200),
    updated_at    TIMESTAMPTZ  NOT NULL
);

-- A recipient's choices; without a row the configured defaults apply.
CREATE TABLE preference (
    recipient_id  VARCHAR(200) PRIMARY KEY,
    time_zone     VARCHAR(64)  NOT NULL,
    quiet_start   TIME,
    quiet_end     TIME,
    digest_at     TIME         NOT NULL,
    channels      TEXT         NOT NULL,  -- JSON: {"EMAIL":{"LOW":"DIGEST",...},"WEBHOOK":{...}}
    updated_at    TIMESTAMPTZ  NOT NULL
);

-- One row per ctas.events record. Its primary key is what makes a redelivered record a no-op.
CREATE TABLE notification (
    event_id      VARCHAR(200) PRIMARY KEY,
    cta_id        VARCHAR(200) NOT NULL,
    account_id    VARCHAR(200) NOT NULL,
    kind          VARCHAR(16)  NOT NULL,
    priority      VARCHAR(16),
    escalated     BOOLEAN      NOT NULL,
    account_name  TEXT,
    segment       VARCHAR(16),
    payload       TEXT         NOT NULL,  -- the CTA event as received (JSON), rendered at send time
    received_at   TIMESTAMPTZ  NOT NULL
);

-- What is owed to whom on which channel, and how it went. A digest is a delivery of its own
-- (event_id NULL, digest_date set) that the items it carries point to.
CREATE TABLE delivery (
    id               BIGSERIAL    PRIMARY KEY,
    event_id         VARCHAR(200) REFERENCES notification (event_id),
    recipient_id     VARCHAR(200) NOT NULL,
    recipient_role   VARCHAR(16)  NOT NULL,
    channel          VARCHAR(16)  NOT NULL,
    address          TEXT         NOT NULL,
    status           VARCHAR(16)  NOT NULL,  -- PENDING, DIGEST, DIGESTED, SENT, DEAD
    attempts         INT          NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ,
    claimed_until    TIMESTAMPTZ,
    last_error       TEXT,
    digest_id        BIGINT       REFERENCES delivery (id),
    digest_date      DATE,
    created_at       TIMESTAMPTZ  NOT NULL,
    sent_at          TIMESTAMPTZ,
    UNIQUE (event_id, recipient_id, channel)
);
CREATE UNIQUE INDEX delivery_one_digest_a_day ON delivery (recipient_id, channel, digest_date) WHERE digest_date IS NOT NULL;
CREATE INDEX delivery_due ON delivery (channel, next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX delivery_awaiting_digest ON delivery (recipient_id, channel) WHERE status = 'DIGEST';
CREATE INDEX delivery_by_digest ON delivery (digest_id) WHERE digest_id IS NOT NULL;

-- Deliveries that failed every attempt, with the reason; an admin's retry is recorded, not erased.
CREATE TABLE dead_letter (
    id           BIGSERIAL    PRIMARY KEY,
    delivery_id  BIGINT       NOT NULL REFERENCES delivery (id),
    reason       TEXT         NOT NULL,
    attempts     INT          NOT NULL,
    dead_at      TIMESTAMPTZ  NOT NULL,
    retried_at   TIMESTAMPTZ,
    retried_by   VARCHAR(200)
);
CREATE INDEX dead_letter_open ON dead_letter (dead_at) WHERE retried_at IS NULL;

-- Dead letters also go to the notifications.dlq topic, through the transactional outbox.
CREATE TABLE outbox_event (
    id            BIGSERIAL PRIMARY KEY,
    event_id      VARCHAR(200) NOT NULL,
    topic         VARCHAR(200) NOT NULL,
    record_key    VARCHAR(200) NOT NULL,
    event_type    VARCHAR(200) NOT NULL,
    subject       VARCHAR(200),
    payload       TEXT,
    created_at    TIMESTAMPTZ  NOT NULL,
    published_at  TIMESTAMPTZ
);
CREATE INDEX outbox_event_pending ON outbox_event (id) WHERE published_at IS NULL;

-- The inbox item carries what the UI shows without another lookup.
ALTER TABLE inbox_item ADD COLUMN account_name TEXT;
ALTER TABLE inbox_item ADD COLUMN segment VARCHAR(16);
ALTER TABLE inbox_item ADD COLUMN body TEXT;
ALTER TABLE inbox_item ADD COLUMN link TEXT;
CREATE INDEX inbox_item_unread ON inbox_item (recipient_id) WHERE read_at IS NULL;

-- Live updates: every instance LISTENs and pushes to its server-sent-event subscribers. NOTIFY is
-- delivered on commit, so a subscriber never sees an item that was rolled back.
CREATE FUNCTION inbox_item_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('beacon_inbox', json_build_object('id', NEW.id, 'recipient', NEW.recipient_id,
                                                        'op', lower(TG_OP))::text);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER inbox_item_notify AFTER INSERT OR UPDATE OF read_at ON inbox_item
    FOR EACH ROW EXECUTE FUNCTION inbox_item_changed();
