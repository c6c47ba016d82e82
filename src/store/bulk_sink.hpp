#pragma once
// Internal to bulk_import.cpp and the backends: where the bulk loader writes its rows. Each
// backend uses its own connection through the database's C API (not the Store interface).
// Call order: open → agency… → round… → (response, answer…)… → oit… → commit. A sink
// destroyed without commit() rolls everything back.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

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
  virtual void agency(const AgencyRow& a) = 0;
  virtual void round(const RoundRow& r) = 0;  // status closed, no access codes
  virtual void response(std::string_view id, std::int64_t round_id, std::string_view tool,
                        std::string_view day) = 0;
  virtual void answer(std::string_view response_id, std::string_view unit,
                      std::string_view option) = 0;
  // A confirmed OIT entry: reviewed and confirmed with the same verdict.
  virtual void oit(std::int64_t round_id, std::string_view item, std::string_view url,
                   bool pass) = 0;
  virtual void commit() = 0;
};

// `path`: a SQLite file the store has migrated. `url`: a PostgreSQL URL likewise.
std::unique_ptr<Sink> open_sqlite_sink(const std::string& path);
std::unique_ptr<Sink> open_postgres_sink(const std::string& url);

}  // namespace ita::store::bulk
