-- The contract allows an ARR below 10^14 with two decimals (ContractChecks); the engine stores it so too.
ALTER TABLE account_view ALTER COLUMN arr TYPE NUMERIC(16, 2);
