-- OpenITA schema version 4 (SQLite): editions published by an administrator, and practice rounds.
--
-- An edition is the ita-edition/1 JSON of docs/editions.md. Each publication of an id adds a
-- version; the newest version is the one in force. The store refuses a new version of an id that
-- a round already uses, so the edition a round was opened on never changes under it.
CREATE TABLE editions (
  id           TEXT NOT NULL CONSTRAINT edition_id_given CHECK (id <> ''),
  version      INTEGER NOT NULL CONSTRAINT edition_version_positive CHECK (version >= 1),
  edition_json TEXT NOT NULL CONSTRAINT edition_json_given CHECK (edition_json <> ''),
  published_by INTEGER REFERENCES users (id),
  published_at INTEGER NOT NULL,
  PRIMARY KEY (id, version)
);

-- An uploaded edition an administrator is reviewing (web/editions.cpp): checked, not yet in
-- force. Publishing copies it into editions; drafts older than a day are deleted.
CREATE TABLE edition_drafts (
  token        TEXT PRIMARY KEY,
  edition_json TEXT NOT NULL,
  uploaded_by  INTEGER NOT NULL REFERENCES users (id),
  uploaded_at  INTEGER NOT NULL
);

-- A practice round may run on an edition whose IIT/EIT questionnaire is known to be incomplete;
-- its pages say so, and its result is not an assessment.
ALTER TABLE rounds ADD COLUMN practice INTEGER NOT NULL DEFAULT 0
  CONSTRAINT round_practice_is_boolean CHECK (practice IN (0, 1));
