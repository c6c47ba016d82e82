#pragma once
// Internal to bulk_import.cpp and the backends: where the bulk loader writes its rows. Each
// backend uses its own connection through the database's C API (not the Store interface).
// Call order: open → find_import, max ids, layouts → agency… → round… → (layout…, response…)…
// → oit… → commit. A sink destroyed without commit() rolls everything back.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "store/bulk_import.hpp"

namespace ita::store::bulk {

struct AgencyRow {
  std::int64_t id = 0;
  std::string_view name, district, province, type;
};

struct RoundRow {
  std::int64_t id = 0;
  std::int64_t agency_id = 0;
  std::string_view edition_id;
  std::int64_t staff_count = 0;
  std::int64_t service_users = 0;
  std::string_view iit_token, eit_token;
};

class Sink {
 public:
  virtual ~Sink() = default;
  // The largest agency and round ids already stored (0 when none); the new ones follow them.
  virtual std::int64_t max_agency_id() = 0;
  virtual std::int64_t max_round_id() = 0;
  // The import of the data set with this hash, if it was loaded before.
  virtual std::optional<ImportSummary> find_import(std::string_view dataset_sha256) = 0;
  // The answer layouts already stored (store/answers_json.hpp); new ones get larger ids.
  virtual void layouts(const std::function<void(std::int64_t id, std::string_view units)>& fn) = 0;
  virtual void layout(std::int64_t id,
                      std::string_view units) = 0;  // before the responses that use it,
                                                    // or (PostgreSQL) at commit
  virtual void agency(const AgencyRow& a) = 0;
  virtual void round(const RoundRow& r) = 0;  // status closed, no access codes
  // A response in the stored form of store/answers_json.hpp.
  virtual void response(std::int64_t slot, std::int64_t round_id, std::string_view id,
                        std::string_view tool, std::string_view day, std::int64_t layout,
                        std::string_view answers) = 0;
  // A confirmed OIT entry: reviewed and confirmed with the same verdict.
  virtual void oit(std::int64_t round_id, std::string_view item, std::string_view url,
                   bool pass) = 0;
  // Records the data set as imported (the imports table), then commits everything.
  virtual void commit(const ImportSummary& summary) = 0;
};

// `path`: a SQLite file the store has migrated. `url`: a PostgreSQL URL likewise.
std::unique_ptr<Sink> open_sqlite_sink(const std::string& path);
std::unique_ptr<Sink> open_postgres_sink(const std::string& url);

}  // namespace ita::store::bulk
