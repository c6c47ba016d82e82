-- OpenITA schema version 1 (SQLite). migrate() applies it inside one transaction and records
-- it in schema_version. Booleans are 0/1 integers; times are unix seconds.

CREATE TABLE agencies (
  id       INTEGER PRIMARY KEY,
  name     TEXT NOT NULL CONSTRAINT agency_name_given CHECK (name <> ''),
  district TEXT NOT NULL,
  province TEXT NOT NULL,
  type     TEXT NOT NULL
);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL CONSTRAINT user_email_given CHECK (email <> ''),
  role          TEXT NOT NULL CONSTRAINT user_role_known CHECK (role IN ('admin', 'officer', 'assessor', 'viewer')),
  agency_id     INTEGER REFERENCES agencies (id),
  password_hash TEXT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE INDEX users_agency ON users (agency_id);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE rounds (
  id                    INTEGER PRIMARY KEY,
  agency_id             INTEGER NOT NULL REFERENCES agencies (id),
  edition_id            TEXT NOT NULL,
  staff_count           INTEGER NOT NULL CONSTRAINT round_staff_count_not_negative CHECK (staff_count >= 0),
  service_users         INTEGER NOT NULL CONSTRAINT round_service_users_not_negative CHECK (service_users >= 0),
  iit_token             TEXT NOT NULL UNIQUE,
  eit_token             TEXT NOT NULL UNIQUE,
  access_codes_required INTEGER NOT NULL CHECK (access_codes_required IN (0, 1)),
  status                TEXT NOT NULL CONSTRAINT round_status_known CHECK (status IN ('open', 'closed')),
  CONSTRAINT round_tokens_differ CHECK (iit_token <> eit_token)
);
CREATE INDEX rounds_agency ON rounds (agency_id);

-- Anonymity: a code only records that it exists and whether it was used — never when, and
-- never for which response.
CREATE TABLE access_codes (
  code_hash TEXT PRIMARY KEY,
  round_id  INTEGER NOT NULL REFERENCES rounds (id),
  used      INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
) WITHOUT ROWID;
CREATE INDEX access_codes_round ON access_codes (round_id, used);

-- Anonymity: a random id, the round, the tool and the day, nothing else. WITHOUT ROWID, so no
-- rowid records the order of submission.
CREATE TABLE responses (
  id       TEXT PRIMARY KEY CONSTRAINT response_id_random_hex CHECK (length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*'),
  round_id INTEGER NOT NULL REFERENCES rounds (id),
  tool     TEXT NOT NULL CONSTRAINT response_tool_known CHECK (tool IN ('IIT', 'EIT')),
  day      TEXT NOT NULL CONSTRAINT response_day_is_a_date CHECK (length(day) = 10 AND day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]')
) WITHOUT ROWID;
CREATE INDEX responses_round ON responses (round_id, id, tool);

CREATE TABLE answers (
  response_id TEXT NOT NULL REFERENCES responses (id),
  unit        TEXT NOT NULL CONSTRAINT answer_unit_given CHECK (unit <> ''),
  option      TEXT NOT NULL CONSTRAINT answer_option_given CHECK (option <> ''),
  PRIMARY KEY (response_id, unit)
) WITHOUT ROWID;

CREATE TABLE oit_entries (
  round_id           INTEGER NOT NULL REFERENCES rounds (id),
  item               TEXT NOT NULL CONSTRAINT oit_item_given CHECK (item <> ''),
  url                TEXT NOT NULL,
  note               TEXT NOT NULL,
  stage              TEXT NOT NULL CONSTRAINT oit_stage_known CHECK (stage IN ('draft', 'submitted', 'reviewed', 'appealed', 'confirmed')),
  verdict            INTEGER CHECK (verdict IN (0, 1)),
  review_comment     TEXT NOT NULL,
  appeal_explanation TEXT NOT NULL,
  final_verdict      INTEGER CHECK (final_verdict IN (0, 1)),
  final_comment      TEXT NOT NULL,
  PRIMARY KEY (round_id, item)
) WITHOUT ROWID;

-- No foreign key on user_id: the log must never refuse an entry, and it outlives its users.
CREATE TABLE audit_log (
  id      INTEGER PRIMARY KEY,
  at      INTEGER NOT NULL,
  user_id INTEGER,
  action  TEXT NOT NULL,
  target  TEXT NOT NULL,
  detail  TEXT NOT NULL
);
