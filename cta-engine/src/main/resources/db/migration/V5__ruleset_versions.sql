-- Rulesets are versioned data: every change ops make is a new version; exactly one is active per ruleset.
CREATE TABLE ruleset_version (
    id            BIGSERIAL    PRIMARY KEY,
    name          VARCHAR(100) NOT NULL,
    version       INT          NOT NULL,
    status        VARCHAR(10)  NOT NULL,  -- DRAFT, ACTIVE, RETIRED
    files         TEXT         NOT NULL,  -- JSON: {"support-risk.drl": "...", ...}
    params        TEXT         NOT NULL,  -- JSON: {"supportRisk.openTickets": {"MARS": 5, ...}, ...}
    scenarios     TEXT         NOT NULL,  -- JSON: {"support-risk-opens-at-threshold.json": "...", ...}
    checksum      VARCHAR(64)  NOT NULL,  -- SHA-256 of files, params and scenarios
    author        VARCHAR(200) NOT NULL,
    comment       TEXT,
    source        VARCHAR(20)  NOT NULL,  -- api, directory
    created_at    TIMESTAMPTZ  NOT NULL,
    activated_at  TIMESTAMPTZ,
    UNIQUE (name, version)
);
CREATE UNIQUE INDEX ruleset_one_active ON ruleset_version (name) WHERE status = 'ACTIVE';

-- Who did what to which version, when and why.
CREATE TABLE ruleset_audit (
    id       BIGSERIAL    PRIMARY KEY,
    name     VARCHAR(100) NOT NULL,
    version  INT          NOT NULL,
    action   VARCHAR(20)  NOT NULL,  -- CREATED, ACTIVATED, ROLLED_BACK, RETIRED, REFUSED
    actor    VARCHAR(200) NOT NULL,
    comment  TEXT,
    detail   TEXT,
    at       TIMESTAMPTZ  NOT NULL
);
CREATE INDEX ruleset_audit_by_name ON ruleset_audit (name, at DESC);
