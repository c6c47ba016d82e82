-- OpenITA schema version 11 (SQLite): OIT readiness checks (issue #15).
--
-- A check is a prediction for the agency's officers, kept as a history: a row per check, and
-- once it finishes a row per item with the verdict (core/oit_readiness.hpp readiness_code) and
-- its Thai reason. Results are written once, when the check finishes.
CREATE TABLE oit_checks (
  id              INTEGER PRIMARY KEY,
  round_id        INTEGER NOT NULL REFERENCES rounds (id),
  by_user         INTEGER REFERENCES users (id),
  started_at      INTEGER NOT NULL,
  finished_at     INTEGER,
  -- Predicted scores in hundredths of a point (scores are published to two decimals).
  predicted_oit   INTEGER,
  predicted_total INTEGER
);
CREATE INDEX oit_checks_by_round ON oit_checks (round_id, id);

CREATE TABLE oit_check_results (
  check_id    INTEGER NOT NULL REFERENCES oit_checks (id),
  item        TEXT NOT NULL CHECK (item <> ''),
  verdict     TEXT NOT NULL CHECK (verdict IN ('no_evidence', 'refused', 'unreachable',
                'error_status', 'outside_domain', 'too_large', 'too_little_content',
                'before_fiscal_year', 'no_fiscal_year', 'missing_keywords', 'likely_fine')),
  reason_th   TEXT NOT NULL,
  url         TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  PRIMARY KEY (check_id, item)
);
