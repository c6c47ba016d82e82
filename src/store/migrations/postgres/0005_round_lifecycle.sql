-- OpenITA schema version 5 (PostgreSQL): closing a round, and its closing date.
--
-- closes_at: the last day (in Thailand, "YYYY-MM-DD", inclusive) the round accepts responses;
-- NULL: until someone closes it. After that day the round counts as closed everywhere, and the
-- write transaction that stores responses refuses any dated later (store::effective_status).
-- Text, as responses.day, so that no server DateStyle changes how it reads.
-- closed_at: when it was closed (unix seconds); NULL while it is open. Who closed or reopened it,
-- and when, is in the audit log ("round.close", "round.reopen").
ALTER TABLE rounds ADD COLUMN closes_at TEXT
  CONSTRAINT round_closes_at_is_a_date CHECK (closes_at ~ '^[0-9]{4}-[01][0-9]-[0-3][0-9]$');
ALTER TABLE rounds ADD COLUMN closed_at BIGINT;
