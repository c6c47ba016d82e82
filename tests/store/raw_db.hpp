#pragma once
// Direct access to a store's database, bypassing the Store, so tests can inspect exactly what
// is on disk (the anonymity test) and probe the schema's own constraints.
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ita::test {

using RawRows =
    std::vector<std::vector<std::optional<std::string>>>;  // values as text, nullopt = NULL

class RawDb {
 public:
  virtual ~RawDb() = default;
  virtual RawRows query(const std::string& sql) = 0;  // throws std::runtime_error on failure
  virtual bool succeeds(const std::string& sql) = 0;  // false when the database refuses it
  virtual std::set<std::string> columns(const std::string& table) = 0;
};

std::unique_ptr<RawDb> open_raw_sqlite(const std::string& path);
std::unique_ptr<RawDb> open_raw_postgres(const std::string& url);

}  // namespace ita::test
