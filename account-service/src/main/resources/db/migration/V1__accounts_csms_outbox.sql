-- CSMs work in teams; each size segment has its team.
CREATE TABLE csm (
    id          VARCHAR(100) PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    email       VARCHAR(320) NOT NULL,
    team        VARCHAR(100) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE account (
    id               VARCHAR(200) PRIMARY KEY,
    name             VARCHAR(300) NOT NULL,
    employees        INTEGER      NOT NULL CHECK (employees >= 0),
    segment          VARCHAR(16)  NOT NULL,
    csm_id           VARCHAR(100) REFERENCES csm (id),
    arr              NUMERIC(16, 2),
    renewal_date     DATE,
    lifecycle_stage  VARCHAR(32),
    -- Grows with every committed change; snapshots carry it so consumers keep only newer ones.
    version          BIGINT       NOT NULL,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE INDEX account_segment ON account (segment);
CREATE INDEX account_csm ON account (csm_id);

-- Transactional outbox: written with the change, relayed to Kafka after commit.
CREATE TABLE outbox_event (
    id            BIGSERIAL PRIMARY KEY,
    event_id      VARCHAR(200) NOT NULL,
    topic         VARCHAR(200) NOT NULL,
    record_key    VARCHAR(200) NOT NULL,
    event_type    VARCHAR(200) NOT NULL,
    subject       VARCHAR(200),
    payload       TEXT         NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL,
    published_at  TIMESTAMPTZ
);

CREATE INDEX outbox_event_pending ON outbox_event (id) WHERE published_at IS NULL;
