-- OpenITA schema version 5 (SQLite): closing a round, and its closing date.
--
-- closes_at: the last day (in Thailand, "YYYY-MM-DD", inclusive) the round accepts responses;
-- NULL: until someone closes it. After that day the round counts as closed everywhere, and the
-- write transaction that stores responses refuses any dated later (store::effective_status).
-- closed_at: when it was closed (unix seconds); NULL while it is open. Who closed or reopened it,
-- and when, is in the audit log ("round.close", "round.reopen").
ALTER TABLE rounds ADD COLUMN closes_at TEXT
  CONSTRAINT round_closes_at_is_a_date
  CHECK (closes_at IS NULL OR (length(closes_at) = 10 AND
                               closes_at GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'));
ALTER TABLE rounds ADD COLUMN closed_at INTEGER;
