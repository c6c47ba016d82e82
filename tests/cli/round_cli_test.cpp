// `ita round close ID` and `ita round reopen ID` (src/cli/round_commands.cpp), through the real
// binary on a SQLite database.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "store/store.hpp"
#include "support/run_ita.hpp"

namespace ita {
namespace {

namespace fs = std::filesystem;

class RoundCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ita-round-cli-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "ita.sqlite").string();
    auto store = store::open_store(db_);
    const auto agency = store->create_agency({0, "เทศบาลตำบลทดสอบ", "", "", ""}, std::nullopt);
    store::Round r;
    r.agency_id = agency.id;
    r.edition_id = "2564";
    r.staff_count = 10;
    r.service_users = 20;
    r.iit_token = "iit-cli";
    r.eit_token = "eit-cli";
    round_ = store->create_round(r, 1).id;
  }
  void TearDown() override { fs::remove_all(dir_); }

  testing::CmdRun round(const std::string& verb, std::int64_t id) {
    return testing::run_ita("round " + verb + " " + std::to_string(id) + " --db " + db_);
  }
  store::Round stored() { return *store::open_store(db_)->round(round_); }

  fs::path dir_;
  std::string db_;
  std::int64_t round_ = 0;
};

TEST_F(RoundCli, ClosesAndReopensARoundAuditedAsTheCommandLine) {
  auto r = round("close", round_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "round " + std::to_string(round_) + " closed\n");
  EXPECT_EQ(stored().status, store::RoundStatus::Closed);
  r = round("reopen", round_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "round " + std::to_string(round_) + " reopened\n");
  EXPECT_EQ(stored().status, store::RoundStatus::Open);
  const auto log = store::open_store(db_)->audit_log(2);
  ASSERT_EQ(log.size(), 2U);
  EXPECT_EQ(log[0].action, "round.reopen");
  EXPECT_EQ(log[1].action, "round.close");
  EXPECT_FALSE(log[0].user_id);
  EXPECT_FALSE(log[1].user_id);
}

TEST_F(RoundCli, RefusalsExitTwoWithTheReasonAndChangeNothing) {
  auto r = round("reopen", round_);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "ita: error: รอบการประเมินนี้เปิดรับคำตอบอยู่แล้ว\n");
  ASSERT_EQ(round("close", round_).code, 0);
  r = round("close", round_);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "ita: error: รอบการประเมินนี้ปิดรับคำตอบอยู่แล้ว\n");
  r = round("close", round_ + 100);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "ita: error: ไม่พบรอบการประเมิน " + std::to_string(round_ + 100) + "\n");
  EXPECT_EQ(stored().status, store::RoundStatus::Closed);

  const std::string missing = (dir_ / "typo.sqlite").string();
  r = testing::run_ita("round close 1 --db " + missing);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no database at"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(missing)) << "a mistyped path creates no database";
  EXPECT_EQ(testing::run_ita("round close abc --db " + db_).code, 2);
}

}  // namespace
}  // namespace ita
