// Opening a store, and what only one backend does: PostgreSQL reconnecting, SQLite durability
// (src/store/store.cpp, src/store/sqlite/, src/store/postgres/).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "store_fixture.hpp"

namespace ita::store {
namespace {

using namespace fixture;

namespace fs = std::filesystem;

TEST(OpenStore, AcceptsSqliteUrlsAndPlainPaths) {
  const std::string dir = temp_dir();
  for (const std::string& url :
       {"sqlite:" + dir + "/a.db", "sqlite://" + dir + "/b.db", dir + "/c.db"}) {
    auto s = open_store(url);
    s->create_agency({0, "x", "", "", ""}, std::nullopt);
  }
  EXPECT_TRUE(fs::exists(dir + "/a.db"));
  EXPECT_TRUE(fs::exists(dir + "/b.db"));
  EXPECT_TRUE(fs::exists(dir + "/c.db"));
  fs::remove_all(dir);
  EXPECT_THROW(open_store(""), StoreError);
  EXPECT_THROW(open_store("sqlite:"), StoreError);
}

TEST(OpenStore, ErrorsNameWhatFailed) {
  try {
    open_store("sqlite:/nonexistent-ita-folder/ita.db");
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-ita-folder/ita.db"), std::string::npos)
        << e.what();
  }
  try {
    open_store("postgresql://ita:secret-pw@127.0.0.1:1/ita_nowhere");
    FAIL();
  } catch (const StoreError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("127.0.0.1"), std::string::npos) << message;
    EXPECT_NE(message.find("ita_nowhere"), std::string::npos) << message;
    EXPECT_EQ(message.find("secret-pw"), std::string::npos) << "the password leaked: " << message;
  }
}

TEST_F(PostgresStore, ReconnectsAfterTheServerDroppedTheConnection) {
  const Agency a = store_->create_agency({0, "x", "", "", ""}, std::nullopt);
  const auto terminated = test::open_raw_postgres(url_)->query(
      "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  ASSERT_EQ(terminated.size(), 1u) << "the store's connection was not found";
  ASSERT_EQ(terminated[0][0], "t");
  ASSERT_TRUE(store_->agency(a.id));
  EXPECT_EQ(store_->agency(a.id)->name, "x");
}

// WAL with synchronous=NORMAL: a process killed right after a commit loses nothing.
TEST(SqliteStore, AKilledProcessLosesNoCommittedResponse) {
  const std::string dir = temp_dir();
  const std::string url = "sqlite:" + dir + "/ita.sqlite";
  std::int64_t round_id = 0;
  {
    auto s = open_store(url);
    const Agency a = s->create_agency({0, "x", "", "", ""}, std::nullopt);
    Round r;
    r.agency_id = a.id;
    r.edition_id = "2567";
    r.iit_token = "i";
    r.eit_token = "e";
    round_id = s->create_round(r, 1).id;
  }
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto s = open_store(url);
    s->submit_response({round_id, ToolId::IIT, "2024-05-01", {{"I1", "4"}}, std::nullopt});
    kill(getpid(), SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(open_store(url)->response_counts(round_id).at(ToolId::IIT), 1);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ita::store
