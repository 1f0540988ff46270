-- Each CTA as its latest change on ctas.events describes it: what the weekly executive summary counts
-- (open escalations, CTAs opened and closed in a week). Kept here so the summary needs no call to the engine.
CREATE TABLE cta_view (
    cta_id         VARCHAR(200) PRIMARY KEY,
    account_id     VARCHAR(200) NOT NULL,
    type           VARCHAR(16),
    reason         TEXT,
    priority       VARCHAR(16),
    escalated      BOOLEAN      NOT NULL,
    status         VARCHAR(16)  NOT NULL,  -- OPEN, SNOOZED, CLOSED
    owner_csm_id   VARCHAR(200),
    opened_at      TIMESTAMPTZ  NOT NULL,
    escalated_at   TIMESTAMPTZ,
    closed_at      TIMESTAMPTZ,
    close_reason   TEXT,
    last_event_at  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX cta_view_open ON cta_view (account_id) WHERE status <> 'CLOSED';
CREATE INDEX cta_view_opened ON cta_view (opened_at);
CREATE INDEX cta_view_closed ON cta_view (closed_at) WHERE closed_at IS NOT NULL;

-- One weekly executive summary per recipient and week (the local date it is due), as composed: the
-- e-mail says what was true when it was composed, however late it is sent.
CREATE TABLE weekly_summary (
    id            BIGSERIAL    PRIMARY KEY,
    recipient_id  VARCHAR(200) NOT NULL,
    week_of       DATE         NOT NULL,
    time_zone     VARCHAR(64)  NOT NULL,
    period_start  TIMESTAMPTZ  NOT NULL,
    period_end    TIMESTAMPTZ  NOT NULL,
    content       TEXT         NOT NULL,  -- JSON
    created_at    TIMESTAMPTZ  NOT NULL,
    UNIQUE (recipient_id, week_of)
);

-- A summary is sent like any other delivery (retries, dead letters, the delivery log).
ALTER TABLE delivery ADD COLUMN summary_id BIGINT REFERENCES weekly_summary (id);
CREATE INDEX delivery_by_summary ON delivery (summary_id) WHERE summary_id IS NOT NULL;
