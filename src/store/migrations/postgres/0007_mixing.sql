-- OpenITA schema version 7 (PostgreSQL): mixing (README, "Threat model for anonymity"; issue #13).
--
-- A response's key is random, but its row is not: the heap keeps rows where they were written
-- (ctid) and stamps each with the transaction that wrote it (xmin), so both give the order the
-- responses arrived in. Mixing rewrites a round's responses in key order in one transaction
-- (Store::mix_step, src/store/sql_mixing.cpp), then VACUUMs the table. These two tables say which
-- rounds are due; they hold round ids and a key position, nothing of any response and no time.
--
-- A round with responses stored since its mixing last began. The write transaction that stores a
-- response adds its round (INSERT … ON CONFLICT DO NOTHING: no write when it is listed already).
CREATE TABLE rounds_to_mix (
  round_id BIGINT PRIMARY KEY
);

-- A mixing under way, one step (transaction) after another: the round's responses from
-- next_slot to the end of the round are still to be rewritten. A crash leaves the row, so the
-- next `ita serve` finishes the round.
CREATE TABLE rounds_being_mixed (
  round_id  BIGINT PRIMARY KEY,
  next_slot BIGINT NOT NULL CONSTRAINT mixing_slot_of_round CHECK (next_slot >> 40 = round_id)
);

-- Rounds answered before this version: their rows are in the order they arrived in.
INSERT INTO rounds_to_mix (round_id)
SELECT id FROM rounds r
WHERE EXISTS (SELECT 1 FROM responses WHERE slot >= r.id << 40 AND slot < (r.id + 1) << 40);
