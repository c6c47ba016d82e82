// SqlStore: mixing (Store::mix_step; README, "Threat model for anonymity"). A response's key is
// random, but where the database puts its row is not: SQLite writes a new row into its page
// below the rows already there and logs each commit's pages in order; PostgreSQL appends it to
// the heap under its transaction's id. Mixing rewrites a round's rows in key order, a chunk of
// keys per transaction, so that a submission batch waits for one chunk at most.
// rounds_to_mix and rounds_being_mixed (migration 0007) say which rounds are due and where a
// round's mixing stands.
#include <algorithm>
#include <set>

#include "store/answers_json.hpp"
#include "store/sql_store.hpp"

namespace ita::store::sql {

namespace {

constexpr const char* kOp = "responses.mix";
constexpr std::size_t kRowsPerStep = 2000;  // as the survey writer's steps (WriterOptions)

// A round's mixing: its responses from `next_slot` to the end of the round are still to do.
struct Cursor {
  std::int64_t round_id = 0;
  std::int64_t next_slot = 0;
};

// Inside a step's write transaction: the round whose mixing is under way (its row locked, so two
// servers on one PostgreSQL do not mix it at once), else the first marked round above
// `after_round`, whose mark becomes a mixing under way from its first slot; nothing when no round
// is due. A response stored after this marks its round again.
std::optional<Cursor> next_round(Connection& db, std::int64_t after_round) {
  const std::string lock(db.row_lock());
  std::optional<Cursor> at;
  db.run(kOp, "SELECT round_id, next_slot FROM rounds_being_mixed ORDER BY round_id LIMIT 1" + lock,
         {}, [&](const Row& row) {
           at = Cursor{row.integer(0), row.integer(1)};
         });
  if (at) return at;
  std::optional<std::int64_t> round;
  db.run(kOp,
         "SELECT round_id FROM rounds_to_mix WHERE round_id > $1 ORDER BY round_id LIMIT 1" + lock,
         {after_round}, [&](const Row& row) { round = row.integer(0); });
  if (!round) return std::nullopt;
  const std::int64_t first = answers_json::slots_of_round(*round).first;
  db.run(kOp, "DELETE FROM rounds_to_mix WHERE round_id = $1", {*round});
  db.run(kOp,
         "INSERT INTO rounds_being_mixed (round_id, next_slot) VALUES ($1, $2) "
         "ON CONFLICT (round_id) DO NOTHING",
         {*round, first});
  return Cursor{*round, first};
}

}  // namespace

void SqlStore::mark_for_mixing(const std::vector<NewResponse>& batch,
                               const std::vector<std::size_t>& stored) {
  std::set<std::int64_t> rounds;
  for (const std::size_t i : stored) rounds.insert(batch[i].round_id);
  // Writes nothing when the round is marked already: one index lookup per round and batch.
  for (const std::int64_t round_id : rounds) {
    db_->run("response.submit",
             "INSERT INTO rounds_to_mix (round_id) VALUES ($1) ON CONFLICT (round_id) DO NOTHING",
             {round_id});
  }
}

std::optional<MixStep> SqlStore::mix_step(std::int64_t after_round, std::size_t max_rows) {
  const auto limit = static_cast<std::int64_t>(std::max<std::size_t>(max_rows, 1));
  const std::optional<MixStep> step = write([&]() -> std::optional<MixStep> {
    const std::optional<Cursor> at = next_round(*db_, after_round);
    if (!at) return std::nullopt;
    const std::int64_t round_end = answers_json::slots_of_round(at->round_id).second;
    // The chunk ends before its (limit + 1)-th response, or with the round.
    std::int64_t end = round_end;
    db_->run(kOp,
             "SELECT slot FROM responses WHERE slot >= $1 AND slot < $2 ORDER BY slot "
             "LIMIT 1 OFFSET $3",
             {at->next_slot, round_end, limit}, [&](const Row& row) { end = row.integer(0); });
    const std::int64_t rows = db_->rewrite_in_slot_order(kOp, at->next_slot, end);
    if (end == round_end) {
      db_->run(kOp, "DELETE FROM rounds_being_mixed WHERE round_id = $1", {at->round_id});
    } else {
      db_->run(kOp, "UPDATE rounds_being_mixed SET next_slot = $1 WHERE round_id = $2",
               {end, at->round_id});
    }
    if (rows > 0) old_copies_kept_ = true;
    return MixStep{at->round_id, rows};
  });
  if (step) return step;
  locked([&] {
    if (old_copies_kept_ && db_->release_old_copies(kOp)) old_copies_kept_ = false;
  });
  return std::nullopt;
}

std::int64_t SqlStore::mix_responses() {
  std::int64_t rows = 0;
  std::int64_t after = 0;
  // `after` only grows, so rounds marked again meanwhile wait for the next call.
  while (const std::optional<MixStep> step = mix_step(after, kRowsPerStep)) {
    rows += step->rows;
    after = std::max(after, step->round_id);
  }
  return rows;
}

}  // namespace ita::store::sql
