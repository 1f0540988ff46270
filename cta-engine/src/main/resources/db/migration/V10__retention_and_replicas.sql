-- Retention (EngineRetention) deletes processed event ids by age.
CREATE INDEX processed_event_age ON processed_event (processed_at);

-- A running backtest's instance says it is alive; one that stopped saying so is marked failed.
ALTER TABLE backtest ADD COLUMN heartbeat_at TIMESTAMPTZ;
UPDATE backtest SET heartbeat_at = started_at WHERE status = 'RUNNING';
CREATE INDEX backtest_running ON backtest (heartbeat_at) WHERE status = 'RUNNING';
