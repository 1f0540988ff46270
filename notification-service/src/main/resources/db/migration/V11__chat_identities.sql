-- Who a chat user is in Beacon: a CSM links their Slack user id once, so that a button they click in
-- Slack acts in their name (and only where they may act).
CREATE TABLE chat_identity (
    provider          VARCHAR(32)  NOT NULL,
    external_user_id  VARCHAR(64)  NOT NULL,
    recipient_id      VARCHAR(200) NOT NULL,
    updated_at        TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (provider, external_user_id),
    UNIQUE (provider, recipient_id)
);
