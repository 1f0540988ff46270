-- The schedule claims the most overdue accounts first, ties broken by account id
-- (ORDER BY next_due_at, account_id LIMIT n). With an index on next_due_at alone, accounts sharing
-- one due instant form one group that PostgreSQL sorts in full for every claim: at a UTC midnight,
-- when every account with open work is due at the same instant, 212,000 accounts made each claim of
-- five take 144 ms, and the schedule drained 35 accounts/s. Indexed in claim order the claim reads
-- only the rows it returns (0.2 ms; 1,346 accounts/s on the same data).
CREATE INDEX account_clock_due_order ON account_clock (next_due_at, account_id) WHERE next_due_at IS NOT NULL;
DROP INDEX account_clock_due;
