-- OpenITA schema version 3 (SQLite): one row per respondent instead of one per answer, so the
-- national scoring reads 1.35 million rows instead of 40 million and a submission writes one
-- row (docs/scaling.md, src/store/answers_json.hpp).
--
-- responses.answers is a JSON array of the option codes, one per answer unit of the response's
-- layout: answer_layouts.units, a JSON array of the unit codes in byte order, stored once for
-- every response that answered the same units (in practice one per edition and tool). An IIT
-- response of edition 2564 is 206 bytes of answers instead of 560 for an object of pairs.
--
-- The table is a rowid table whose key, `slot`, is the round id times 2^40 plus the first 40
-- bits of the response's random id: a round's responses are one range of the table, in the
-- order of their random ids (never the order they arrived in), and the B-tree's inner pages
-- hold only integer keys, so a submission dirties about 1.5 pages instead of 3. The codes
-- inside the arrays are checked by the application (against the edition, and by the store:
-- given, UTF-8) before anything is stored; the schema keeps the shapes.
-- SQLite cannot change a primary key or add a NOT NULL column without a default, so the table
-- is rebuilt.

CREATE TABLE answer_layouts (
  id    INTEGER PRIMARY KEY,
  units TEXT NOT NULL UNIQUE CONSTRAINT layout_units_array CHECK (json_valid(units) AND substr(units, 1, 1) = '[')
);

CREATE TABLE responses_v3 (
  slot     INTEGER PRIMARY KEY,
  round_id INTEGER NOT NULL REFERENCES rounds (id),
  id       TEXT NOT NULL CONSTRAINT response_id_random_hex CHECK (length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*'),
  tool     TEXT NOT NULL CONSTRAINT response_tool_known CHECK (tool IN ('IIT', 'EIT')),
  day      TEXT NOT NULL CONSTRAINT response_day_is_a_date CHECK (length(day) = 10 AND day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  layout   INTEGER NOT NULL REFERENCES answer_layouts (id),
  answers  TEXT NOT NULL CONSTRAINT response_answers_array CHECK (json_valid(answers) AND substr(answers, 1, 1) = '['),
  CONSTRAINT response_slot_of_round CHECK (slot >> 40 = round_id)
);

-- A schema version 2 store's answers, one layout and one array per response (units in byte
-- order: the subquery's order, which the grouping keeps).
CREATE TEMP TABLE v3_answers AS
SELECT response_id, json_group_array(unit) AS units, json_group_array(option) AS options
FROM (SELECT response_id, unit, option FROM answers ORDER BY response_id, unit)
GROUP BY response_id;

INSERT INTO answer_layouts (units)
SELECT DISTINCT COALESCE(a.units, '[]')
FROM responses r LEFT JOIN v3_answers a ON a.response_id = r.id;

INSERT INTO responses_v3 (slot, round_id, id, tool, day, layout, answers)
SELECT (r.round_id << 40) + ((instr('0123456789abcdef', substr(r.id, 1, 1)) - 1) << 36) + ((instr('0123456789abcdef', substr(r.id, 2, 1)) - 1) << 32) + ((instr('0123456789abcdef', substr(r.id, 3, 1)) - 1) << 28) + ((instr('0123456789abcdef', substr(r.id, 4, 1)) - 1) << 24) + ((instr('0123456789abcdef', substr(r.id, 5, 1)) - 1) << 20) + ((instr('0123456789abcdef', substr(r.id, 6, 1)) - 1) << 16) + ((instr('0123456789abcdef', substr(r.id, 7, 1)) - 1) << 12) + ((instr('0123456789abcdef', substr(r.id, 8, 1)) - 1) << 8) + ((instr('0123456789abcdef', substr(r.id, 9, 1)) - 1) << 4) + ((instr('0123456789abcdef', substr(r.id, 10, 1)) - 1) << 0),
       r.round_id, r.id, r.tool, r.day, l.id, COALESCE(a.options, '[]')
FROM responses r
LEFT JOIN v3_answers a ON a.response_id = r.id
JOIN answer_layouts l ON l.units = COALESCE(a.units, '[]');

DROP TABLE v3_answers;
DROP TABLE answers;
DROP TABLE responses;
ALTER TABLE responses_v3 RENAME TO responses;

CREATE TRIGGER response_answers_kept BEFORE UPDATE OF layout, answers ON responses
BEGIN
  SELECT RAISE(ABORT, 'a response''s answers are never changed');
END;

-- National data sets loaded by `ita import` (src/store/bulk_import.hpp), by the SHA-256 of their
-- files: loading the same data set again changes nothing.
CREATE TABLE imports (
  dataset_sha256 TEXT PRIMARY KEY CONSTRAINT import_hash_hex CHECK (length(dataset_sha256) = 64 AND dataset_sha256 NOT GLOB '*[^0-9a-f]*'),
  edition_id     TEXT NOT NULL,
  agencies       INTEGER NOT NULL,
  responses      INTEGER NOT NULL,
  answers        INTEGER NOT NULL,
  oit_entries    INTEGER NOT NULL,
  first_agency_id INTEGER NOT NULL,
  first_round_id  INTEGER NOT NULL
);
