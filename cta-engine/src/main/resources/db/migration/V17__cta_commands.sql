-- Commands applied from ctas.commands (chat buttons): a command id is applied once, however often
-- its record is delivered.
CREATE TABLE cta_command (
    command_id  VARCHAR(200) PRIMARY KEY,
    cta_id      VARCHAR(64)  NOT NULL,
    action      VARCHAR(32)  NOT NULL,
    actor       VARCHAR(200) NOT NULL,
    via         VARCHAR(200),
    applied_at  TIMESTAMPTZ  NOT NULL
);
