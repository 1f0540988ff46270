-- The local account view, rebuilt from the compacted accounts.snapshots topic (module account-view).
CREATE TABLE account_view (
    account_id    VARCHAR(200) PRIMARY KEY,
    name          TEXT,
    segment       VARCHAR(16)  NOT NULL,
    csm_id        VARCHAR(200),
    csm_team      VARCHAR(200),
    arr           NUMERIC(14, 2),
    renewal_date  DATE,
    health_score  INTEGER,
    health_color  TEXT,
    version       BIGINT       NOT NULL,
    test          BOOLEAN      NOT NULL DEFAULT false,
    updated_at    TIMESTAMPTZ  NOT NULL
);

-- Which account carries a desk's organisation (account-service's external ids, from the snapshots).
CREATE TABLE account_external_id (
    source       VARCHAR(64)  NOT NULL,
    external_id  VARCHAR(200) NOT NULL,
    account_id   VARCHAR(200) NOT NULL,
    PRIMARY KEY (source, external_id)
);
CREATE INDEX account_external_id_account ON account_external_id (account_id);

-- Events accepted from a desk whose organisation no account carries yet: kept until one does, then
-- published under that account in the order they came (released_at set). The event id is unique, so
-- a desk retrying a delivery parks it once.
CREATE TABLE parked_event (
    id               BIGSERIAL    PRIMARY KEY,
    event_id         VARCHAR(300) NOT NULL UNIQUE,
    source           VARCHAR(64)  NOT NULL,
    organization_id  VARCHAR(200) NOT NULL,
    event            TEXT         NOT NULL,  -- the Beacon ticket event (JSON) without its account
    parked_at        TIMESTAMPTZ  NOT NULL,
    released_at      TIMESTAMPTZ,
    account_id       VARCHAR(200)
);
CREATE INDEX parked_event_waiting ON parked_event (source, organization_id, id) WHERE released_at IS NULL;
