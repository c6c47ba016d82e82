#pragma once
// Internal to national_reader.cpp and the backends: what the national scorer reads, each query a
// sequential scan the database streams without sorting.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace ita::store::national_source {

struct RoundInfo {
  std::int64_t round_id = 0;
  std::string edition_id;
  Agency agency;
};

// One stored answer; views valid during the call only.
struct AnswerView {
  std::string_view response_id;
  std::string_view unit;
  std::string_view option;
};

class AnswerConsumer {
 public:
  virtual ~AnswerConsumer() = default;
  virtual void row(const AnswerView& a) = 0;
};

class Source {
 public:
  virtual ~Source() = default;
  // Every round with its agency, in round id order.
  virtual std::vector<RoundInfo> rounds() = 0;
  // The effective OIT verdicts (the final one, else the review), in any order.
  virtual void oit_verdicts(
      const std::function<void(std::int64_t round_id, std::string_view item, bool pass)>& fn) = 0;
  // Every response (id, round, tool), in any order.
  virtual void responses(const std::function<void(std::string_view id, std::int64_t round_id,
                                                  std::string_view tool)>& fn) = 0;
  // The answers whose response id is in [from, to) — both lowercase hex digits or "g" for the
  // end — in the order the table holds them (SQLite: response id order).
  virtual void answers(std::string_view from, std::string_view to, AnswerConsumer& consumer) = 0;
  // A second connection that sees what this one sees, for a parallel answers() stream.
  virtual std::unique_ptr<Source> another() = 0;
  // How many answers() streams pay off: SQLite decodes rows in this process (one per core);
  // PostgreSQL decodes them in its server process, so one stream already keeps two cores busy.
  virtual unsigned parallel_streams() const = 0;
};

inline constexpr const char* kRoundsSql =
    "SELECT r.id, r.edition_id, a.id, a.name, a.district, a.province, a.type FROM rounds r "
    "JOIN agencies a ON a.id = r.agency_id ORDER BY r.id";
inline constexpr const char* kOitSql =
    "SELECT round_id, item, COALESCE(final_verdict, verdict) FROM oit_entries "
    "WHERE final_verdict IS NOT NULL OR verdict IS NOT NULL";
inline constexpr const char* kResponsesSql = "SELECT id, round_id, tool FROM responses";

std::unique_ptr<Source> open_sqlite_source(const std::string& path);
std::unique_ptr<Source> open_postgres_source(const std::string& url);

}  // namespace ita::store::national_source
