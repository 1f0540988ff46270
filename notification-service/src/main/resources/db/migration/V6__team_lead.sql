-- The lead of each CSM's team, from the account snapshots (account-service owns it).
ALTER TABLE recipient ADD COLUMN team_lead VARCHAR(100);
