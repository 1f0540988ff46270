-- What CSMs do with CTAs beyond snooze and close: manual CTAs, notes, playbook tasks, reassignment,
-- and the CSM directory (from the account snapshots) that says who may be assigned and who leads a team.

-- A manual CTA is raised by a person; rules never match, update or clear it, so the one-open-CTA rule
-- holds only among the rules' CTAs.
ALTER TABLE cta ADD COLUMN origin VARCHAR(8) NOT NULL DEFAULT 'RULE';
DROP INDEX cta_one_open;
CREATE UNIQUE INDEX cta_one_open ON cta (account_id, type, reason) WHERE status <> 'CLOSED' AND origin = 'RULE';
ALTER TABLE cta ADD COLUMN playbook VARCHAR(100);
ALTER TABLE cta ADD COLUMN playbook_version INTEGER;

-- Inserts are ordered by entity, so a CTA and its tasks written in one flush may arrive child first:
-- the references are checked at commit.
CREATE TABLE cta_note (
    id          BIGSERIAL    PRIMARY KEY,
    cta_id      VARCHAR(64)  NOT NULL REFERENCES cta (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    author      VARCHAR(100) NOT NULL,
    body        TEXT         NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX cta_note_cta ON cta_note (cta_id, created_at);

CREATE TABLE cta_task (
    cta_id      VARCHAR(64)  NOT NULL REFERENCES cta (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    position    INTEGER      NOT NULL,
    title       VARCHAR(300) NOT NULL,
    due_at      TIMESTAMPTZ,
    done_at     TIMESTAMPTZ,
    done_by     VARCHAR(100),
    PRIMARY KEY (cta_id, position)
);

-- Who changed a CTA's owner, when and why (the audit of reassignments).
CREATE TABLE cta_assignment (
    id          BIGSERIAL    PRIMARY KEY,
    cta_id      VARCHAR(64)  NOT NULL REFERENCES cta (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    from_csm    VARCHAR(100),
    to_csm      VARCHAR(100) NOT NULL,
    actor       VARCHAR(100) NOT NULL,
    comment     TEXT,
    at          TIMESTAMPTZ  NOT NULL
);
CREATE INDEX cta_assignment_cta ON cta_assignment (cta_id, at);

CREATE TABLE csm_directory (
    csm_id      VARCHAR(100) PRIMARY KEY,
    name        VARCHAR(300),
    email       VARCHAR(320),
    team        VARCHAR(100),
    team_lead   VARCHAR(100),
    updated_at  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX csm_directory_email ON csm_directory (lower(email));
CREATE INDEX csm_directory_team ON csm_directory (team);
