-- A rule that threw, or an evaluation that hit the firing limit, recorded against rule and account.
CREATE TABLE rule_failure (
    id               BIGSERIAL PRIMARY KEY,
    account_id       VARCHAR(200) NOT NULL,
    ruleset          VARCHAR(100) NOT NULL,
    ruleset_version  INTEGER      NOT NULL,
    rule_name        VARCHAR(200),
    message          TEXT         NOT NULL,
    occurred_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX rule_failure_time ON rule_failure (occurred_at DESC);
