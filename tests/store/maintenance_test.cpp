// Store::check (sql_check.cpp), backup_database and restore_database (store/maintenance.hpp), on
// both backends: SQLite files, and whole databases of the test cluster (pg_dump and pg_restore
// work on databases, not on the schemas the other store tests share one database with).
#include "store/maintenance.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "../support/corrupt_sqlite.hpp"
#include "../support/plain_round.hpp"
#include "pg_cluster.hpp"
#include "raw_db.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"
#include "store_fixture.hpp"

namespace ita::store {
namespace {

namespace fs = std::filesystem;
using fixture::Backend;

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(text) != std::string::npos; });
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

using test::eit_response;
using test::plain_round;

class Maintenance : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = fixture::temp_dir();
    if (GetParam() == Backend::PostgreSQL) {
      std::string why;
      cluster_ = test::PgCluster::shared(why);
      if (cluster_ == nullptr) {
        if (test::postgres_required()) FAIL() << "ITA_REQUIRE_POSTGRES=1, but " << why;
        GTEST_SKIP() << "no PostgreSQL, test skipped: " << why;
      }
      options_.pg_bin = cluster_->bin_dir();
    }
    url_ = fresh_url();
    store_ = open_store(url_);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  // A new empty database: a file not yet created, or a database of the cluster.
  std::string fresh_url() {
    if (cluster_ != nullptr) return cluster_->fresh_whole_database_url();
    return dir_ + "/db" + std::to_string(++files_) + ".sqlite";
  }
  std::unique_ptr<test::RawDb> raw(const std::string& url) const {
    return cluster_ != nullptr ? test::open_raw_postgres(url) : test::open_raw_sqlite(url);
  }
  std::int64_t count(const std::string& url, const std::string& table) const {
    return std::stoll(raw(url)->query("SELECT count(*) FROM " + table).at(0).at(0).value());
  }
  int latest_schema() const {
    const auto& m = cluster_ != nullptr ? postgres_migrations() : sqlite_migrations();
    return m.back().version;
  }

  std::string dir_, url_;
  test::PgCluster* cluster_ = nullptr;
  MaintenanceOptions options_;
  std::unique_ptr<Store> store_;
  int files_ = 0;
};

TEST_P(Maintenance, CheckFindsNothingWrongWithAHealthyStore) {
  const Round r = plain_round(*store_, "a");
  for (int i = 0; i < 5; ++i) store_->submit_response(eit_response(r.id));
  // PostgreSQL: every index verified against its table too.
  if (cluster_ != nullptr) {
    ASSERT_TRUE(raw(url_)->succeeds("CREATE EXTENSION amcheck"));
  }
  EXPECT_EQ(store_->check(true), std::vector<std::string>{});
  EXPECT_EQ(store_->check(false), std::vector<std::string>{});
}

TEST_P(Maintenance, CheckCountsResponsesOutsideTheirRoundsSlots) {
  const Round r = plain_round(*store_, "a");
  store_->submit_response(eit_response(r.id));
  // The schema refuses such a row: only a file changed behind the store's back holds one.
  const std::string bypass = cluster_ != nullptr
                                 ? "ALTER TABLE responses DROP CONSTRAINT response_slot_of_round; "
                                 : "PRAGMA ignore_check_constraints = ON; ";
  ASSERT_TRUE(raw(url_)->succeeds(
      bypass +
      "INSERT INTO responses (slot, round_id, id, tool, day, layout, answers) "
      "SELECT ((round_id + 1) << 40) + 5, round_id, 'ffffffffffffffffffffffffffffffff', tool, "
      "day, layout, answers FROM responses"));
  const auto problems = store_->check(false);
  EXPECT_TRUE(mentions(problems, "1 responses whose slot is not in their round's range"))
      << joined(problems);
}

TEST_P(Maintenance, CheckReportsASchemaNewerThanThisOpenItaKnows) {
  ASSERT_TRUE(
      raw(url_)->succeeds("INSERT INTO schema_version (version, name, applied_at) VALUES (" +
                          std::to_string(latest_schema() + 1) + ", '9999_future.sql', 0)"));
  const auto problems = store_->check(true);
  EXPECT_TRUE(mentions(problems, "newer than this OpenITA knows")) << joined(problems);
}

TEST_P(Maintenance, BackupWhileAWriterSubmitsKeepsEveryAcknowledgedResponse) {
  const Round r = plain_round(*store_, "w");
  std::vector<NewResponse> earlier(2000, eit_response(r.id, 40));  // a backup that takes a while
  store_->submit_responses(earlier, {});
  std::mutex mutex;
  std::vector<std::string> acknowledged;  // guarded by mutex
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    auto own = open_store(url_, StoreOptions{true});  // its own connection, as under ita serve
    while (!stop) {
      const std::string id = own->submit_response(eit_response(r.id));
      std::lock_guard lock(mutex);
      acknowledged.push_back(id);
    }
  });
  const auto enough = [&] {
    std::lock_guard lock(mutex);
    return acknowledged.size() >= 20;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!enough() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::vector<std::string> before;
  {
    std::lock_guard lock(mutex);
    before = acknowledged;
  }
  const std::string file = dir_ + "/backup";
  const DatabaseSummary written = backup_database(url_, file, options_);
  std::size_t during = 0;
  {
    std::lock_guard lock(mutex);
    during = acknowledged.size() - before.size();
  }
  stop = true;
  writer.join();
  ASSERT_GE(before.size(), 20u);
  std::cout << during << " responses acknowledged while the backup ran\n";

  const std::string target = fresh_url();
  const DatabaseSummary restored = restore_database(target, file, options_);
  EXPECT_EQ(restored.responses, written.responses);
  EXPECT_EQ(count(target, "responses"), written.responses);
  EXPECT_GE(written.responses, static_cast<std::int64_t>(earlier.size() + before.size()));
  std::set<std::string> ids;
  for (const auto& row : raw(target)->query("SELECT id FROM responses")) ids.insert(*row.at(0));
  for (const auto& id : before) EXPECT_TRUE(ids.count(id)) << id << " acknowledged, not restored";
  EXPECT_EQ(open_store(target)->check(false), std::vector<std::string>{});
}

TEST_P(Maintenance, RestoreRefusesATargetHoldingDataWithoutForce) {
  plain_round(*store_, "source");
  const std::string file = dir_ + "/backup";
  backup_database(url_, file, options_);
  const std::string target = fresh_url();
  {
    auto other = open_store(target);
    plain_round(*other, "x");
    plain_round(*other, "y");
  }
  try {
    restore_database(target, file, options_);
    ADD_FAILURE() << "restored over a database holding data";
  } catch (const Conflict& e) {
    EXPECT_NE(std::string(e.what()).find("give --force"), std::string::npos) << e.what();
  }
  EXPECT_EQ(count(target, "agencies"), 2);
  options_.force = true;
  const DatabaseSummary restored = restore_database(target, file, options_);
  EXPECT_EQ(restored.agencies, 1);
  EXPECT_EQ(count(target, "agencies"), 1);
}

TEST_P(Maintenance, RestoreRefusesABackupOfANewerSchema) {
  plain_round(*store_, "source");
  ASSERT_TRUE(
      raw(url_)->succeeds("INSERT INTO schema_version (version, name, applied_at) VALUES (" +
                          std::to_string(latest_schema() + 1) + ", '9999_future.sql', 0)"));
  const std::string file = dir_ + "/backup";
  EXPECT_EQ(backup_database(url_, file, options_).schema_version, latest_schema() + 1);
  const std::string target = fresh_url();
  try {
    restore_database(target, file, options_);
    ADD_FAILURE() << "restored a schema newer than this OpenITA knows";
  } catch (const Conflict& e) {
    EXPECT_NE(std::string(e.what()).find("newer than this OpenITA knows"), std::string::npos)
        << e.what();
  }
  if (cluster_ != nullptr) {
    EXPECT_EQ(count(target, "pg_tables WHERE schemaname = 'public'"), 0);
  } else {
    EXPECT_FALSE(fs::exists(target));
  }
}

std::string backend_name(const testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::SQLite ? "SQLite" : "PostgreSQL";
}

INSTANTIATE_TEST_SUITE_P(Backends, Maintenance,
                         testing::Values(Backend::SQLite, Backend::PostgreSQL), backend_name);

TEST(SqliteCheck, FindsFortyBytesOfGarbageInAPageOfResponses) {
  const std::string dir = fixture::temp_dir();
  const std::string path = dir + "/ita.sqlite";
  {
    auto store = open_store(path);
    const Round r = plain_round(*store, "a");
    store->submit_responses(std::vector<NewResponse>(300, eit_response(r.id, 20)), {});
    EXPECT_EQ(store->check(true), std::vector<std::string>{});
  }
  test::overwrite_table_leaf(path, "responses");
  StoreOptions unmigrated;
  unmigrated.migrate = false;
  auto store = open_store(path, unmigrated);
  const auto quick = store->check(true);
  EXPECT_TRUE(mentions(quick, "SQLite quick_check")) << joined(quick);
  const auto full = store->check(false);
  EXPECT_TRUE(mentions(full, "SQLite integrity_check")) << joined(full);
  store.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ita::store
