-- The CSM who leads a team: sees the team's CTAs and hears of its escalations.
ALTER TABLE csm_team ADD COLUMN lead VARCHAR(100) REFERENCES csm (id);
