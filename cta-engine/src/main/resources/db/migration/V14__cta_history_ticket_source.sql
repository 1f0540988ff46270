-- Every change of every CTA, as published, for the account page's timeline ("what happened, by which
-- rule and version, and why"); it goes with its CTA when retention removes the CTA.
CREATE TABLE cta_change (
    id               BIGSERIAL    PRIMARY KEY,
    cta_id           VARCHAR(64)  NOT NULL REFERENCES cta (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    account_id       VARCHAR(200) NOT NULL,
    kind             VARCHAR(16)  NOT NULL,
    at               TIMESTAMPTZ  NOT NULL,
    actor            VARCHAR(100),
    priority         VARCHAR(16)  NOT NULL,
    escalated        BOOLEAN      NOT NULL,
    owner_csm_id     VARCHAR(100),
    ruleset          VARCHAR(100) NOT NULL,
    ruleset_version  INTEGER      NOT NULL,
    rule_name        VARCHAR(200) NOT NULL,
    explanation      TEXT         NOT NULL
);
CREATE INDEX cta_change_account ON cta_change (account_id, at DESC, id DESC);
CREATE INDEX cta_change_cta ON cta_change (cta_id);

-- The desk a ticket came from (zendesk, api, ...), so the account page can link to it there.
ALTER TABLE ticket ADD COLUMN source VARCHAR(100);
