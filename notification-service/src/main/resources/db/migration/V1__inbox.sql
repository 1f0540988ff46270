-- In-app inbox: one item per (CTA event, recipient). The unique key makes a redelivered event a no-op.
CREATE TABLE inbox_item (
    id            BIGSERIAL PRIMARY KEY,
    cta_event_id  VARCHAR(200) NOT NULL,
    recipient_id  VARCHAR(200) NOT NULL,
    cta_id        VARCHAR(200) NOT NULL,
    account_id    VARCHAR(200) NOT NULL,
    kind          VARCHAR(16)  NOT NULL,
    cta_type      VARCHAR(16),
    priority      VARCHAR(16),
    escalated     BOOLEAN      NOT NULL DEFAULT FALSE,
    title         TEXT         NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    read_at       TIMESTAMPTZ,
    UNIQUE (cta_event_id, recipient_id)
);

CREATE INDEX inbox_item_recipient ON inbox_item (recipient_id, created_at DESC);
