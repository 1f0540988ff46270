-- The engine's local view of each account, rebuilt from accounts.snapshots.
CREATE TABLE account_view (
    account_id    VARCHAR(200) PRIMARY KEY,
    name          VARCHAR(300),
    segment       VARCHAR(16)  NOT NULL,
    csm_id        VARCHAR(100),
    csm_team      VARCHAR(100),
    arr           NUMERIC(16, 2),
    renewal_date  DATE,
    version       BIGINT       NOT NULL,
    updated_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE cta (
    id               VARCHAR(64)  PRIMARY KEY,
    account_id       VARCHAR(200) NOT NULL,
    type             VARCHAR(16)  NOT NULL,
    reason           VARCHAR(100) NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    priority         VARCHAR(16)  NOT NULL,
    escalated        BOOLEAN      NOT NULL DEFAULT FALSE,
    due_at           TIMESTAMPTZ,
    owner_csm_id     VARCHAR(100),
    ruleset          VARCHAR(100) NOT NULL,
    ruleset_version  INTEGER      NOT NULL,
    rule_name        VARCHAR(200) NOT NULL,
    explanation      TEXT         NOT NULL,
    close_reason     VARCHAR(200),
    opened_at        TIMESTAMPTZ  NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL,
    closed_at        TIMESTAMPTZ
);

-- One CTA per (account, type, reason) that is not closed: a rule firing again updates it.
CREATE UNIQUE INDEX cta_one_open ON cta (account_id, type, reason) WHERE status <> 'CLOSED';
CREATE INDEX cta_owner_status ON cta (owner_csm_id, status);
CREATE INDEX cta_account ON cta (account_id);

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
