-- One running backtest per version: a second click (or a second person) gets the running one, not a
-- second full-CPU job.
UPDATE backtest SET status = 'FAILED', error = 'superseded: more than one was running'
 WHERE status = 'RUNNING' AND id NOT IN (
   SELECT DISTINCT ON (ruleset, version) id FROM backtest WHERE status = 'RUNNING' ORDER BY ruleset, version, started_at DESC);
CREATE UNIQUE INDEX backtest_one_running ON backtest (ruleset, version) WHERE status = 'RUNNING';
CREATE INDEX backtest_by_version ON backtest (ruleset, version, started_at DESC);
