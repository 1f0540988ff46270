-- Rule quality (how good are the rules?) and threshold sweeps.

-- Each account's health colour as the snapshots last gave it, and every time it turned RED from
-- another colour: a situation the rules should have seen coming (a "missed situation" when no rule
-- CTA of type RISK was open on the account in the days before).
CREATE TABLE account_health (
    account_id  VARCHAR(200) PRIMARY KEY,
    color       VARCHAR(8)   NOT NULL,
    since       TIMESTAMPTZ  NOT NULL
);
CREATE TABLE account_turned_red (
    id          BIGSERIAL    PRIMARY KEY,
    account_id  VARCHAR(200) NOT NULL,
    previous    VARCHAR(8)   NOT NULL,
    at          TIMESTAMPTZ  NOT NULL
);
CREATE INDEX account_turned_red_at ON account_turned_red (at);

-- Situations: escalations by the time they escalated (CTAs by the time they opened have an index since V7).
CREATE INDEX cta_escalated_at ON cta (escalated_at) WHERE escalated_at IS NOT NULL;

-- A sweep is a backtest of one parameter over several values in one pass over the events.
ALTER TABLE backtest ADD COLUMN kind VARCHAR(10) NOT NULL DEFAULT 'COMPARE';
ALTER TABLE backtest ADD COLUMN spec TEXT;
