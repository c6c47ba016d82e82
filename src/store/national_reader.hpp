#pragma once
// Scores every round in a store in one pass over its responses (docs/scaling.md).
//
// The responses are read as the table holds them — a sequential scan, never sorted and never
// joined by the database — each row carrying its key (hence its round), its tool, its layout
// and its options (store/answers_json.hpp). The layouts are read once and their units mapped
// onto each edition's dense unit numbers, so an option finds its unit by position. Every round's
// counts (core/national.hpp: per answer unit a running sum and count in dense arrays) are kept
// at once, about 1 KiB a round, so the order of the rows does not matter; then each round is
// aggregated and graded like the per-round engine.
//
// SQLite: the responses table is scanned in primary-key (round, then random id) order, split
// into `jobs` ranges of rounds read by as many threads, each on its own connection; the sums are
// added in the very order the per-round engine adds them. PostgreSQL: COPY
// (SELECT …) TO STDOUT streams, the server sending rows while we count them; all its queries
// share one snapshot.
//
// Why not one query joined and ordered by round, as first designed: measured on the national
// data set (8,300 rounds, 40 M answers, then one row per answer), that took 21 s on SQLite (a
// primary-key search per response, in random order) and 44 s on PostgreSQL (a sort of 40 M
// rows), against 3–5 s and 11 s for a scan of that schema and under 1 s on SQLite for this one
// (bench/README.md).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/national.hpp"
#include "store/bulk_import.hpp"  // EditionLookup
#include "store/store.hpp"

namespace ita::store {

struct NationalRound {
  std::int64_t round_id = 0;
  Agency agency;
  std::string edition_id;
  RoundStatus status = RoundStatus::Open;  // as stored; see store::effective_status
  std::optional<std::chrono::year_month_day> closes_at;
  national::RoundOutcome outcome;  // a result, or why there is none
};

struct NationalStats {
  std::size_t rounds = 0;
  std::size_t responses = 0;  // rows read
  std::size_t answers = 0;    // answers in them
  std::size_t orphans = 0;    // responses of a round created after the rounds were read
  unsigned streams = 1;       // parallel answer streams used
};

// Calls `on_round` once per round, in round id order. `jobs`: parallel streams (0: as
// many as pay off on this backend and machine). `with_items` fills Result::items.
// StoreError when the database fails.
NationalStats score_all_rounds(const std::string& url, const EditionLookup& editions,
                               const std::function<void(NationalRound&&)>& on_round,
                               unsigned jobs = 0, bool with_items = false);

}  // namespace ita::store
