-- The account view is one entity for every service that keeps one (module account-view): the
-- columns the engine had and this service did not.
ALTER TABLE account_view ADD COLUMN renewal_date DATE;
ALTER TABLE account_view ADD COLUMN health_score INTEGER;
ALTER TABLE account_view ADD COLUMN health_color TEXT;
