-- API keys for the ticket-event endpoints: for desks and tools that cannot obtain a token (a SaaS
-- webhook). Only a SHA-256 of each key is kept; the key itself is shown once, when made.
CREATE TABLE source_key (
    id            VARCHAR(40)  PRIMARY KEY,
    source        VARCHAR(64)  NOT NULL,   -- the name the key's events carry (e.g. acme-freshdesk)
    description   TEXT,
    key_hash      CHAR(64)     NOT NULL UNIQUE,
    prefix        VARCHAR(16)  NOT NULL,   -- the key's first characters, to tell keys apart in a list
    created_at    TIMESTAMPTZ  NOT NULL,
    created_by    VARCHAR(200) NOT NULL,
    expires_at    TIMESTAMPTZ,             -- set when the key was rotated: it works until then
    revoked_at    TIMESTAMPTZ,
    revoked_by    VARCHAR(200),
    replaced_by   VARCHAR(40),
    last_used_at  TIMESTAMPTZ
);
CREATE INDEX source_key_by_source ON source_key (source);
