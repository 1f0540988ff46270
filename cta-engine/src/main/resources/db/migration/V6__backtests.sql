-- Backtest jobs: progress is written while they run, so any instance's API (and the UI) can show it.
CREATE TABLE backtest (
    id              VARCHAR(40)  PRIMARY KEY,
    ruleset         VARCHAR(100) NOT NULL,
    version         INT          NOT NULL,
    against         INT          NOT NULL,
    window_from     TIMESTAMPTZ  NOT NULL,
    window_to       TIMESTAMPTZ  NOT NULL,
    status          VARCHAR(10)  NOT NULL,  -- RUNNING, DONE, FAILED
    events_total    BIGINT       NOT NULL DEFAULT 0,
    events_done     BIGINT       NOT NULL DEFAULT 0,
    events_per_sec  DOUBLE PRECISION NOT NULL DEFAULT 0,
    requested_by    VARCHAR(200) NOT NULL,
    started_at      TIMESTAMPTZ  NOT NULL,
    finished_at     TIMESTAMPTZ,
    result          TEXT,
    error           TEXT
);
