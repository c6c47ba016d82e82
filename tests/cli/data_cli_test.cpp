// `ita backup`, `ita restore`, `ita check` and the check before `ita serve` listens, through the
// real binary (cli/data_commands.hpp), on SQLite files and on whole databases of a throwaway
// PostgreSQL cluster (pg_dump and pg_restore from the cluster's own bin folder).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <thread>

#include "pg_cluster.hpp"
#include "raw_db.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"
#include "support/corrupt_sqlite.hpp"
#include "support/plain_round.hpp"
#include "support/run_ita.hpp"
#include "support/serve_process.hpp"

namespace ita {
namespace {

namespace fs = std::filesystem;
using test::eit_response;
using test::plain_round;
using testing::CmdRun;
using testing::free_port;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class DataCli : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ita-data-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    if (GetParam() == "postgres") {
      std::string why;
      cluster_ = test::PgCluster::shared(why);
      if (cluster_ == nullptr) {
        if (test::postgres_required()) FAIL() << "ITA_REQUIRE_POSTGRES=1, but " << why;
        GTEST_SKIP() << "PostgreSQL server binaries not found: " << why;
      }
      pg_bin_ = " --pg-bin " + cluster_->bin_dir();
    }
    url_ = fresh_url();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string fresh_url() {
    if (cluster_ != nullptr) return cluster_->fresh_whole_database_url();
    return (dir_ / ("db" + std::to_string(++files_) + ".sqlite")).string();
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::unique_ptr<test::RawDb> raw(const std::string& url) const {
    return cluster_ != nullptr ? test::open_raw_postgres(url) : test::open_raw_sqlite(url);
  }
  std::int64_t count(const std::string& url, const std::string& table) const {
    return std::stoll(raw(url)->query("SELECT count(*) FROM " + table).at(0).at(0).value());
  }

  fs::path dir_;
  std::string url_, pg_bin_;
  test::PgCluster* cluster_ = nullptr;
  int files_ = 0;
};

TEST_P(DataCli, ABackupTakenWhileAWriterSubmitsRestoresEveryAcknowledgedResponse) {
  std::int64_t round_id = 0;
  {
    auto store = store::open_store(url_);
    round_id = plain_round(*store, "a").id;
    store->submit_responses(std::vector<store::NewResponse>(1000, eit_response(round_id)), {});
  }
  std::mutex mutex;
  std::vector<std::string> acknowledged;  // guarded by mutex
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    auto own = store::open_store(url_, store::StoreOptions{true});
    while (!stop) {
      const std::string id = own->submit_response(eit_response(round_id));
      std::lock_guard lock(mutex);
      acknowledged.push_back(id);
    }
  });
  for (int i = 0; i < 2000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard lock(mutex);
    if (acknowledged.size() >= 20) break;
  }
  std::vector<std::string> before;
  {
    std::lock_guard lock(mutex);
    before = acknowledged;
  }
  const CmdRun backup =
      testing::run_ita("backup --db " + url_ + " --out " + path("ita.backup") + pg_bin_);
  stop = true;
  writer.join();
  ASSERT_EQ(backup.code, 0) << backup.err;
  EXPECT_TRUE(contains(backup.out, "backup of the")) << backup.out;
  EXPECT_TRUE(contains(backup.out, "1 agencies, 1 rounds")) << backup.out;
  EXPECT_EQ(fs::status(path("ita.backup")).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);

  const std::string target = fresh_url();
  const CmdRun restore =
      testing::run_ita("restore --db " + target + " --in " + path("ita.backup") + pg_bin_);
  ASSERT_EQ(restore.code, 0) << restore.err;
  std::set<std::string> ids;
  for (const auto& row : raw(target)->query("SELECT id FROM responses")) ids.insert(*row.at(0));
  EXPECT_GE(ids.size(), 1000 + before.size());
  EXPECT_TRUE(contains(restore.out, std::to_string(ids.size()) + " responses")) << restore.out;
  for (const auto& id : before) EXPECT_TRUE(ids.count(id)) << id << " acknowledged, not restored";
  const CmdRun check = testing::run_ita("check --db " + target);
  EXPECT_EQ(check.code, 0) << check.out << check.err;
  EXPECT_TRUE(contains(check.out, ": ok (schema version")) << check.out;
}

TEST_P(DataCli, RestoreRefusesATargetHoldingDataWithoutForce) {
  plain_round(*store::open_store(url_), "source");
  ASSERT_EQ(testing::run_ita("backup --db " + url_ + " --out " + path("b") + pg_bin_).code, 0);
  const std::string target = fresh_url();
  {
    auto other = store::open_store(target);
    plain_round(*other, "x");
    plain_round(*other, "y");
  }
  const CmdRun refused =
      testing::run_ita("restore --db " + target + " --in " + path("b") + pg_bin_);
  EXPECT_EQ(refused.code, 2);
  EXPECT_TRUE(contains(refused.err, "is not empty (2 agencies")) << refused.err;
  EXPECT_TRUE(contains(refused.err, "give --force")) << refused.err;
  EXPECT_EQ(count(target, "agencies"), 2);
  const CmdRun forced =
      testing::run_ita("restore --db " + target + " --in " + path("b") + " --force" + pg_bin_);
  EXPECT_EQ(forced.code, 0) << forced.err;
  EXPECT_EQ(count(target, "agencies"), 1);
}

TEST_P(DataCli, RestoreRefusesABackupOfANewerSchemaNamingBothVersions) {
  plain_round(*store::open_store(url_), "source");
  const auto& migrations =
      cluster_ != nullptr ? store::postgres_migrations() : store::sqlite_migrations();
  const int newer = migrations.back().version + 1;
  ASSERT_TRUE(
      raw(url_)->succeeds("INSERT INTO schema_version (version, name, applied_at) VALUES (" +
                          std::to_string(newer) + ", '9999_future.sql', 0)"));
  ASSERT_EQ(testing::run_ita("backup --db " + url_ + " --out " + path("b") + pg_bin_).code, 0);
  const CmdRun refused =
      testing::run_ita("restore --db " + fresh_url() + " --in " + path("b") + pg_bin_);
  EXPECT_EQ(refused.code, 2);
  EXPECT_TRUE(contains(refused.err, "is at schema version " + std::to_string(newer) +
                                        ", newer than this OpenITA knows (" +
                                        std::to_string(newer - 1) + ")"))
      << refused.err;
}

TEST_P(DataCli, ErrorsNameTheFileAndExit2) {
  const CmdRun missing =
      testing::run_ita("restore --db " + fresh_url() + " --in " + path("nothing") + pg_bin_);
  EXPECT_EQ(missing.code, 2);
  EXPECT_TRUE(contains(missing.err, path("nothing"))) << missing.err;
  plain_round(*store::open_store(url_), "a");
  const CmdRun unwritable =
      testing::run_ita("backup --db " + url_ + " --out " + path("no/such/folder/b") + pg_bin_);
  EXPECT_EQ(unwritable.code, 2);
  EXPECT_TRUE(contains(unwritable.err, path("no/such/folder/b"))) << unwritable.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, DataCli, ::testing::Values("sqlite", "postgres"));

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// `ita serve --db DB` for up to 20 s: its exit code (-1 when it was still running and then
// killed), standard output and error.
CmdRun serve_briefly(const std::string& db, const fs::path& dir) {
  testing::ServeOptions serve;
  serve.out = (dir / "serve.out").string();
  serve.err = (dir / "serve.err").string();
  const pid_t pid = testing::spawn_ita_serve(db, free_port(), serve);
  CmdRun run;
  int status = 0;
  pid_t ended = 0;
  for (int i = 0; i < 800 && (ended = ::waitpid(pid, &status, WNOHANG)) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  if (ended == pid) {
    run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  } else {
    testing::stop_ita_serve(pid, SIGKILL);
  }
  run.out = slurp(serve.out);
  run.err = slurp(serve.err);
  return run;
}

TEST(DataCliSqlite, FortyBytesOfGarbageInAResponsesPageFailTheCheckAndStopTheServer) {
  const fs::path dir = fs::temp_directory_path() / ("ita-data-cli-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string db = (dir / "damaged.sqlite").string();
  {
    auto store = store::open_store(db);
    const auto r = plain_round(*store, "a");
    store->submit_responses(std::vector<store::NewResponse>(300, eit_response(r.id)), {});
  }
  ASSERT_EQ(testing::run_ita("check --db " + db).code, 0);
  test::overwrite_table_leaf(db, "responses");

  const CmdRun check = testing::run_ita("check --db " + db);
  EXPECT_EQ(check.code, 1) << check.out << check.err;
  EXPECT_TRUE(contains(check.out, "SQLite integrity_check")) << check.out;
  EXPECT_TRUE(contains(check.out, "ฐานข้อมูลมีปัญหา")) << check.out;

  const CmdRun serve = serve_briefly(db, dir);
  EXPECT_EQ(serve.code, 2) << serve.out << serve.err;
  EXPECT_TRUE(contains(serve.err, "is damaged or cannot be read; ita serve will not start on it"))
      << serve.err;
  EXPECT_TRUE(contains(serve.err, "SQLite quick_check")) << serve.err;
  EXPECT_TRUE(contains(serve.err, "ฐานข้อมูลเสียหาย")) << serve.err;
  EXPECT_FALSE(contains(serve.out, "OpenITA is serving")) << serve.out;
  fs::remove_all(dir);
}

TEST(DataCliSqlite, RestoreRefusesWhileAServerHasTheDatabaseOpen) {
  const fs::path dir =
      fs::temp_directory_path() / ("ita-data-cli-serving-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string db = (dir / "live.sqlite").string(), backup = (dir / "b").string();
  plain_round(*store::open_store(db), "a");
  ASSERT_EQ(testing::run_ita("backup --db " + db + " --out " + backup).code, 0);
  const pid_t pid = testing::start_ita_serve(db, free_port());
  ASSERT_GT(pid, 0) << "ita serve did not start";
  const CmdRun refused = testing::run_ita("restore --db " + db + " --in " + backup + " --force");
  testing::stop_ita_serve(pid, SIGTERM);
  EXPECT_EQ(refused.code, 2);
  EXPECT_TRUE(contains(refused.err, "another process has the database")) << refused.err;
  const CmdRun stopped = testing::run_ita("restore --db " + db + " --in " + backup + " --force");
  EXPECT_EQ(stopped.code, 0) << stopped.err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ita
