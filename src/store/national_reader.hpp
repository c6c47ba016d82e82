#pragma once
// Scores every round in a store in one pass over its answers (docs/scaling.md).
//
// The answers are read as the table holds them — a sequential scan, never sorted and never
// joined by the database — and each row reaches its round through an in-memory index of the
// responses (128-bit id → round and tool, 24 bytes a response, looked up once per response).
// Every round's counts (core/national.hpp: per answer unit a running sum and count in dense
// arrays) are kept at once, about 1 KiB a round, so the order of the rows does not matter;
// then each round is aggregated and graded like the per-round engine. Unit codes are interned
// to dense indices once per respondent's first row.
//
// SQLite: the answers table is scanned in primary-key (response id) order, split into `jobs`
// ranges of response ids read by as many threads, each on its own connection. With one job
// the sums are added in the very order the per-round engine adds them. PostgreSQL: one
// COPY (SELECT …) TO STDOUT stream, the server decoding rows while we count them; all its
// queries share one snapshot.
//
// Why not one query joined and ordered by round, as first designed: measured on the national
// data set (8,300 rounds, 40 M answers), that takes 21 s on SQLite (a primary-key search per
// response, in random order) and 44 s on PostgreSQL (a sort of 40 M rows), against 3–5 s and
// 11 s for this design (bench/README.md).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "core/national.hpp"
#include "store/bulk_import.hpp"  // EditionLookup
#include "store/store.hpp"

namespace ita::store {

struct NationalRound {
  std::int64_t round_id = 0;
  Agency agency;
  std::string edition_id;
  national::RoundOutcome outcome;  // a result, or why there is none
};

struct NationalStats {
  std::size_t rounds = 0;
  std::size_t responses = 0;
  std::size_t answers = 0;  // rows read
  std::size_t orphans = 0;  // answers of a response the index does not hold (written meanwhile)
  unsigned streams = 1;     // parallel answer streams used
};

// Calls `on_round` once per round, in round id order. `jobs`: parallel answer streams (0: as
// many as pay off on this backend and machine). `with_items` fills Result::items.
// StoreError when the database fails.
NationalStats score_all_rounds(const std::string& url, const EditionLookup& editions,
                               const std::function<void(NationalRound&&)>& on_round,
                               unsigned jobs = 0, bool with_items = false);

}  // namespace ita::store
