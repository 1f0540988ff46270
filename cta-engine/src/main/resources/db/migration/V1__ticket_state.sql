-- The newest known snapshot of every ticket, per account. Rules count these, not the event stream.
CREATE TABLE ticket (
    account_id          VARCHAR(200) NOT NULL,
    ticket_id           VARCHAR(200) NOT NULL,
    status              VARCHAR(16)  NOT NULL,
    priority            VARCHAR(16),
    kind                VARCHAR(16),
    subject             TEXT,
    created_at          TIMESTAMPTZ,
    updated_at          TIMESTAMPTZ  NOT NULL,
    first_reply_due_at  TIMESTAMPTZ,
    resolution_due_at   TIMESTAMPTZ,
    sla_breached        BOOLEAN      NOT NULL DEFAULT FALSE,
    deleted             BOOLEAN      NOT NULL DEFAULT FALSE,
    last_event_id       VARCHAR(200) NOT NULL,
    PRIMARY KEY (account_id, ticket_id)
);

-- Event ids already applied: written in the same transaction as the state they changed, so a
-- redelivered event changes nothing.
CREATE TABLE processed_event (
    event_id      VARCHAR(200) PRIMARY KEY,
    account_id    VARCHAR(200) NOT NULL,
    processed_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
