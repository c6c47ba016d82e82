-- OpenITA schema version 8 (SQLite): disabling users, and API tokens with an id, an expiry and
-- the time of their last use (`ita user disable`, `ita token list|revoke`, `--days`).
--
-- disabled_at: when the user was disabled (unix seconds); NULL while they may sign in. Disabling
-- deletes their sessions in the same transaction, and a disabled user's API tokens are refused.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;

-- SQLite cannot add a key column to a table, so api_tokens is copied into its new shape. Tokens
-- made before this version expire 90 days after the upgrade (never earlier than 90 days after
-- they were made), so no integration stops working the moment OpenITA is upgraded.
-- last_used_at: to the hour (the store notes a use at most once an hour); NULL: never used.
CREATE TABLE api_tokens_v8 (
  id           INTEGER PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  user_id      INTEGER NOT NULL REFERENCES users (id),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  last_used_at INTEGER
);
INSERT INTO api_tokens_v8 (token_hash, user_id, created_at, expires_at)
  SELECT token_hash, user_id, created_at,
         MAX(created_at, CAST(strftime('%s', 'now') AS INTEGER)) + 90 * 86400
  FROM api_tokens ORDER BY created_at, token_hash;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_v8 RENAME TO api_tokens;
CREATE INDEX api_tokens_user ON api_tokens (user_id);
