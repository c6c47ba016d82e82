-- OpenITA schema version 7 (SQLite): mixing (README, "Threat model for anonymity"; issue #13).
--
-- A response's key is random, but where its row lies in the database's files is not: SQLite
-- writes a new row into its leaf page below the rows already there, and the write-ahead log
-- holds each commit's pages in commit order. Mixing rewrites a round's responses in key order
-- (Store::mix_step, src/store/sql_mixing.cpp), after which their places say nothing of when they
-- arrived. These two tables say which rounds are due; they hold round ids and a key position,
-- nothing of any response and no time.
--
-- A round with responses stored since its mixing last began. The write transaction that stores a
-- response adds its round (INSERT … ON CONFLICT DO NOTHING: no write when it is listed already).
CREATE TABLE rounds_to_mix (
  round_id INTEGER PRIMARY KEY
);

-- A mixing under way, one step (transaction) after another: the round's responses from
-- next_slot to the end of the round are still to be rewritten. A crash leaves the row, so the
-- next `ita serve` finishes the round.
CREATE TABLE rounds_being_mixed (
  round_id  INTEGER PRIMARY KEY,
  next_slot INTEGER NOT NULL CONSTRAINT mixing_slot_of_round CHECK (next_slot >> 40 = round_id)
);

-- Rounds answered before this version: their rows are in the order they arrived in.
INSERT INTO rounds_to_mix (round_id)
SELECT id FROM rounds
WHERE EXISTS (SELECT 1 FROM responses WHERE slot >= rounds.id << 40 AND slot < (rounds.id + 1) << 40);
