-- Ticket events that were refused, with the reason, so an integrator can see what their desk sent wrong.
CREATE TABLE rejected_event (
    id           BIGSERIAL PRIMARY KEY,
    received_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    source       VARCHAR(32),
    event_id     VARCHAR(200),
    account_id   VARCHAR(200),
    reason       TEXT         NOT NULL,
    payload      TEXT
);

CREATE INDEX rejected_event_received_at ON rejected_event (received_at DESC);
