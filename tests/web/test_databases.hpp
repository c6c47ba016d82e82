#pragma once
// A fresh database per test: a temporary SQLite file, or a new database on this process's
// throwaway PostgreSQL cluster (tests/store/pg_cluster.hpp).
#include <string>

namespace ita::testing {

struct TestDatabase {
  std::string backend;
  std::string url;  // empty when skipped
  std::string skip_reason;
  std::string sqlite_path;  // for SQLite: the file (and its -wal/-shm)
};

TestDatabase make_test_database(const std::string& backend, const std::string& test_name);
void drop_test_database(const TestDatabase& db);

}  // namespace ita::testing
