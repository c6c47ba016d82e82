#pragma once
// The store suite's fixture: every TEST_P(StoreTest, …) of tests/store/*_test.cpp runs against
// SQLite and against a throwaway PostgreSQL cluster (pg_cluster.hpp). The suite is instantiated
// once, in store_fixture.cpp, as Backends/StoreTest.<test>/SQLite and …/PostgreSQL; the ctest
// entries store_sqlite and store_postgres select the backend by that suffix (CMakeLists.txt).
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "raw_db.hpp"
#include "store/store.hpp"

namespace ita::store::fixture {

enum class Backend { SQLite, PostgreSQL };
void PrintTo(Backend b, std::ostream* os);

// Sets `url` to a fresh database on this process's PostgreSQL cluster. Without PostgreSQL it
// skips the test, or fails it when ITA_REQUIRE_POSTGRES=1, and leaves `url` empty.
void find_postgres(std::string& url);

// A new temporary folder.
std::string temp_dir();

std::int64_t unix_now();

// A 64-hex-digit stand-in for the SHA-256 of a slip code.
std::string code_hash(int n);

// 32 lowercase hex digits, as the store's random response ids are.
bool is_random_id(const std::string& id);

void expect_same_entry(const OitEntry& a, const OitEntry& b);

class StoreTest : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The database under the store, bypassing it.
  std::unique_ptr<test::RawDb> raw() const;
  std::int64_t raw_count(const std::string& table) const;
  // Stored answers (one per option in the responses' JSON arrays), counted by SQL.
  std::int64_t raw_answer_count() const;

  Agency make_agency(const std::string& name = "เทศบาลตำบลบ้านใหม่");
  User make_user(const std::string& email, Role role, std::optional<std::int64_t> agency_id);
  Round make_round(std::int64_t agency_id, const std::string& tag, bool codes = false,
                   RoundStatus status = RoundStatus::Open);
  std::string submit(std::int64_t round_id, ToolId tool, std::map<std::string, std::string> answers,
                     std::optional<std::string> code = std::nullopt);
  std::vector<AnswerRow> answers_of(std::int64_t round_id);

  std::string dir_, path_, url_;
  std::unique_ptr<Store> store_;
  std::int64_t admin_id_ = 1;
};

// The backend-specific tests of PostgreSQL: a store on a fresh database of the cluster.
class PostgresStore : public testing::Test {
 protected:
  void SetUp() override;
  std::string url_;
  std::unique_ptr<Store> store_;
};

}  // namespace ita::store::fixture
