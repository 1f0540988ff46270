-- Each account's clock in event time: the instant it was last evaluated at, and the next instant at
-- which something its rules read changes without an event (a CTA's age in days, a day boundary, a
-- ticket leaving a window, a snooze ending). The re-evaluation job reads only the accounts that are due.
CREATE TABLE account_clock (
    account_id   VARCHAR(200) PRIMARY KEY,
    evaluated_at TIMESTAMPTZ NOT NULL,
    next_due_at  TIMESTAMPTZ
);
CREATE INDEX account_clock_due ON account_clock (next_due_at) WHERE next_due_at IS NOT NULL;

-- Accounts with open work before this migration start their clock now, due at once.
INSERT INTO account_clock (account_id, evaluated_at, next_due_at)
SELECT account_id, now(), now() FROM (
    SELECT account_id FROM cta WHERE status <> 'CLOSED'
    UNION
    SELECT account_id FROM ticket WHERE NOT deleted AND status NOT IN ('SOLVED', 'CLOSED')) open_work;

-- Events of an account the engine has no snapshot of yet wait here, in their order, and are applied
-- as soon as the snapshot arrives: an account's history starts with its first event whichever topic
-- the engine happened to read first.
CREATE TABLE parked_event (
    id         BIGSERIAL PRIMARY KEY,
    account_id VARCHAR(200) NOT NULL,
    event_at   TIMESTAMPTZ  NOT NULL,
    payload    TEXT         NOT NULL,
    parked_at  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX parked_event_account ON parked_event (account_id, id);
