#include "web/test_databases.hpp"

#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "pg_cluster.hpp"

namespace ita::testing {

TestDatabase make_test_database(const std::string& backend, const std::string& test_name) {
  TestDatabase db;
  db.backend = backend;
  if (backend == "sqlite") {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("ita-web-" + std::to_string(::getpid()) + "-" + test_name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    db.sqlite_path = (dir / "ita.sqlite").string();
    db.url = db.sqlite_path;
    return db;
  }
  std::string why;
  test::PgCluster* cluster = test::PgCluster::shared(why);
  if (cluster == nullptr) {
    if (test::postgres_required())
      throw std::runtime_error("PostgreSQL is required (ITA_REQUIRE_POSTGRES=1): " + why);
    db.skip_reason = why;
    return db;
  }
  db.url = cluster->fresh_database_url();
  return db;
}

void drop_test_database(const TestDatabase& db) {
  if (!db.sqlite_path.empty())
    std::filesystem::remove_all(std::filesystem::path(db.sqlite_path).parent_path());
}

}  // namespace ita::testing
