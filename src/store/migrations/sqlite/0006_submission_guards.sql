-- OpenITA schema version 6 (SQLite): guards on the public survey submissions (issue #13).
--
-- response_cap_percent: a round's IIT survey takes at most staff_count × this / 100 responses
-- (store::response_cap); NULL: no cap. The EIT population is an estimate, so it has no cap. New
-- rounds get 100 unless their officer chooses otherwise; rounds opened before this version get
-- 100 as well: more IIT responses than staff are never genuine.
ALTER TABLE rounds ADD COLUMN response_cap_percent INTEGER
  CONSTRAINT round_response_cap_percent_positive
  CHECK (response_cap_percent IS NULL OR response_cap_percent > 0);
UPDATE rounds SET response_cap_percent = 100;

-- How many responses of each tool a round holds, kept by the write transaction that stores them
-- so that a cap is checked under a row lock instead of by counting the round's responses on
-- every batch. A missing row is counted from the responses when a batch first needs it (rounds
-- loaded by `ita import` have none). Counts only: nothing of any response.
CREATE TABLE response_tallies (
  round_id  INTEGER NOT NULL REFERENCES rounds (id),
  tool      TEXT NOT NULL CONSTRAINT response_tally_tool_known CHECK (tool IN ('IIT', 'EIT')),
  responses INTEGER NOT NULL CONSTRAINT response_tally_not_negative CHECK (responses >= 0),
  PRIMARY KEY (round_id, tool)
) WITHOUT ROWID;

-- The one-time values of rendered survey forms not yet sent: the SHA-256 of the value, its
-- round, and when it expires (unix seconds at a UTC midnight, so the row holds no time of day).
-- Storing a response deletes its form's row in the same transaction, and a form whose row is
-- gone is not stored again: a reload or a second click stores nothing. Nothing links a row to a
-- response: the row is deleted, and the response keeps no trace of it. WITHOUT ROWID: no rowid
-- records the order the forms were shown in.
CREATE TABLE survey_form_tokens (
  token_hash TEXT PRIMARY KEY,
  round_id   INTEGER NOT NULL REFERENCES rounds (id),
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX survey_form_tokens_expiry ON survey_form_tokens (expires_at);
