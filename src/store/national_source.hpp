#pragma once
// Internal to national_reader.cpp and the backends: what the national scorer reads, each query a
// sequential scan the database streams without sorting.
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/answers_json.hpp"
#include "store/store.hpp"

namespace ita::store::national_source {

struct RoundInfo {
  std::int64_t round_id = 0;
  std::string edition_id;
  Agency agency;
  RoundStatus status = RoundStatus::Open;
  std::optional<std::chrono::year_month_day> closes_at;  // store::Round::closes_at
};

// The status and closing date of kRoundsSql's columns 7 and 8 ("" for no closing date). Throws
// StoreError for a value this OpenITA does not know.
void read_round_state(RoundInfo& r, std::string_view status, std::string_view closes_at);

// One stored response with its answers (store/answers_json.hpp); views valid during the call.
struct ResponseView {
  std::int64_t slot = 0;  // its round: answers_json::round_of_slot
  std::string_view tool;
  std::int64_t layout = 0;
  std::string_view answers;
};

class ResponseConsumer {
 public:
  virtual ~ResponseConsumer() = default;
  virtual void response(const ResponseView& r) = 0;
};

class Source {
 public:
  virtual ~Source() = default;
  // Every round with its agency, in round id order.
  virtual std::vector<RoundInfo> rounds() = 0;
  // The effective OIT verdicts (the final one, else the review), in any order.
  virtual void oit_verdicts(
      const std::function<void(std::int64_t round_id, std::string_view item, bool pass)>& fn) = 0;
  // Every answer layout: its id and its units (a JSON array of strings).
  virtual void layouts(const std::function<void(std::int64_t id, std::string_view units)>& fn) = 0;
  // The responses of the rounds whose id is in [from, to), with their answers, in the order
  // the table holds them (SQLite: the primary key's, round then random id).
  virtual void responses(std::int64_t from, std::int64_t to, ResponseConsumer& consumer) = 0;
  // A second connection that sees what this one sees, for a parallel responses() stream.
  virtual std::unique_ptr<Source> another() = 0;
  // How many responses() streams pay off: SQLite decodes rows in this process (one per core);
  // PostgreSQL decodes them in its server process, so one stream already keeps two cores busy.
  virtual unsigned parallel_streams() const = 0;
};

inline constexpr const char* kRoundsSql =
    "SELECT r.id, r.edition_id, a.id, a.name, a.district, a.province, a.type, r.status, "
    "COALESCE(r.closes_at, '') FROM rounds r JOIN agencies a ON a.id = r.agency_id ORDER BY r.id";
inline constexpr const char* kLayoutsSql = "SELECT id, units FROM answer_layouts";
inline constexpr const char* kOitSql =
    "SELECT round_id, item, COALESCE(final_verdict, verdict) FROM oit_entries "
    "WHERE final_verdict IS NOT NULL OR verdict IS NOT NULL";

// The first slot (answers_json::slot_of) of a round bound of responses(); bounds outside the
// rounds the table can key clamp to the ends.
inline std::int64_t slot_bound(std::int64_t round) {
  if (round <= 0) return std::numeric_limits<std::int64_t>::min();
  if (round > answers_json::kMaxRoundForSlots) return std::numeric_limits<std::int64_t>::max();
  return round << answers_json::kSlotBits;
}

std::unique_ptr<Source> open_sqlite_source(const std::string& path);
std::unique_ptr<Source> open_postgres_source(const std::string& url);

}  // namespace ita::store::national_source
