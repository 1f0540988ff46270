-- CSM teams: each serves one size segment; a segment may have several teams.
CREATE TABLE csm_team (
    name        VARCHAR(100) PRIMARY KEY,
    segment     VARCHAR(16)  NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Teams named by CSMs created before teams existed are kept, filed under MERCURY until edited.
INSERT INTO csm_team (name, segment) SELECT DISTINCT team, 'MERCURY' FROM csm ON CONFLICT DO NOTHING;
ALTER TABLE csm ADD CONSTRAINT csm_team_fk FOREIGN KEY (team) REFERENCES csm_team (name);

-- An account's ids in the support systems, e.g. (zendesk, 360001234).
CREATE TABLE account_external_id (
    source       VARCHAR(32)  NOT NULL,
    external_id  VARCHAR(200) NOT NULL,
    account_id   VARCHAR(200) NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    PRIMARY KEY (source, external_id)
);
CREATE INDEX account_external_id_account ON account_external_id (account_id);

-- Health scorecard: current value on the account, every change in the history.
ALTER TABLE account ADD COLUMN health_score INTEGER CHECK (health_score BETWEEN 0 AND 100);
ALTER TABLE account ADD COLUMN health_color VARCHAR(8);
ALTER TABLE account ADD COLUMN health_measures TEXT;
CREATE INDEX account_health_color ON account (health_color);

CREATE TABLE health_history (
    id          BIGSERIAL PRIMARY KEY,
    account_id  VARCHAR(200) NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    score       INTEGER      NOT NULL,
    color       VARCHAR(8)   NOT NULL,
    measures    TEXT         NOT NULL,
    changed_by  VARCHAR(200) NOT NULL,
    changed_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX health_history_account ON health_history (account_id, changed_at);

-- A deleted account leaves a tombstone (null value) on the compacted topic.
ALTER TABLE outbox_event ALTER COLUMN payload DROP NOT NULL;
