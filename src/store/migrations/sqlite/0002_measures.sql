-- OpenITA schema version 2 (SQLite): the measures tracker. A round's measures plan (the
-- "ita-measures/1" JSON of docs/measures.md) and the progress reports on its measures.

CREATE TABLE measures_plans (
  round_id   INTEGER PRIMARY KEY REFERENCES rounds (id),
  plan_json  TEXT NOT NULL CONSTRAINT measures_plan_given CHECK (plan_json <> ''),
  updated_by INTEGER REFERENCES users (id),
  updated_at INTEGER NOT NULL
);

CREATE TABLE progress_reports (
  id           INTEGER PRIMARY KEY,
  round_id     INTEGER NOT NULL REFERENCES measures_plans (round_id),
  measure_id   TEXT NOT NULL CONSTRAINT progress_measure_given CHECK (measure_id <> ''),
  day          TEXT NOT NULL CONSTRAINT progress_day_is_a_date CHECK (length(day) = 10 AND day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  text         TEXT NOT NULL,
  evidence_url TEXT NOT NULL,
  status       TEXT NOT NULL CONSTRAINT progress_status_known CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
  user_id      INTEGER NOT NULL REFERENCES users (id),
  created_at   INTEGER NOT NULL
);
CREATE INDEX progress_reports_round ON progress_reports (round_id, id);
