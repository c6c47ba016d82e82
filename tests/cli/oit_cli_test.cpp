// `ita oit check` and `ita oit fetch` (src/cli/oit_commands.cpp) through the real binary on a
// SQLite database, against the loopback fixture website (tests/support/fixture_site.hpp).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "store/store.hpp"
#include "support/fixture_site.hpp"
#include "support/run_ita.hpp"

namespace ita {
namespace {

namespace fs = std::filesystem;

class OitCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ita-oit-cli-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "ita.sqlite").string();
    store_ = store::open_store(db_);
    agency_ = store_->create_agency({0, "เทศบาลตำบลทดสอบ", "", "", ""}, std::nullopt).id;
    store_->set_agency_website(agency_, site_.https_url("/"), std::nullopt);
    std::string filler;
    for (int i = 0; i < 10; ++i) filler += "ข้อมูลเผยแพร่ต่อสาธารณะเพื่อความโปร่งใส ";
    site_.page("/o1", "text/html; charset=utf-8",
               "<h1>โครงสร้าง</h1><p>ปีงบประมาณ พ.ศ. 2567</p><p>" + filler + "</p>");
    site_.status("/o2", 404);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  std::int64_t round_with_evidence() {
    store::Round r;
    r.agency_id = agency_;
    r.edition_id = "2567";
    r.staff_count = 10;
    r.service_users = 20;
    r.practice = true;
    r.iit_token = "iit-" + std::to_string(++rounds_);
    r.eit_token = "eit-" + std::to_string(rounds_);
    const std::int64_t id = store_->create_round(r, 1).id;
    store_->put_oit_evidence(id, "O1", site_.https_url("/o1"), "", 1);
    store_->put_oit_evidence(id, "O2", site_.https_url("/o2"), "", 1);
    return id;
  }
  std::string fetch_flags() const {
    return " --db " + db_ + " --ca-file " + site_.ca_file() + " --timeout 2";
  }

  testing::FixtureSite site_;
  fs::path dir_;
  std::string db_;
  std::unique_ptr<store::Store> store_;
  std::int64_t agency_ = 0;
  int rounds_ = 0;
};

TEST_F(OitCli, ChecksARoundAndPrintsEachItemsVerdict) {
  const std::int64_t round = round_with_evidence();
  const auto r = testing::run_ita("oit check --round " + std::to_string(round) + fetch_flags() +
                                  " --allow-loopback");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("O1\tlikely_fine\t"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("O2\terror_status\t"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("O3\tno_evidence\t"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("round " + std::to_string(round) + ": 1 of 43 items likely fine"),
            std::string::npos)
      << r.out;
  const auto checks = store_->oit_checks(round, 10, true);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_TRUE(checks[0].finished_at);
  EXPECT_FALSE(checks[0].by_user) << "the command line is nobody";
}

TEST_F(OitCli, AllChecksEveryRoundSeveralAtOnce) {
  for (int i = 0; i < 3; ++i) round_with_evidence();
  const auto r = testing::run_ita("oit check --all --rounds-at-once 2 --json" + fetch_flags() +
                                  " --allow-loopback");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("checked 3 of 3 rounds"), std::string::npos) << r.err;
  std::istringstream lines(r.out);
  int fine = 0, items = 0;
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    ++items;
    fine += j["verdict"] == "likely_fine";
  }
  EXPECT_EQ(items, 3 * 43);
  EXPECT_EQ(fine, 3);
  for (const auto& round : store_->rounds())
    EXPECT_EQ(store_->oit_checks(round.id, 10, false).size(), 1u);
}

TEST_F(OitCli, WithoutTheTestSwitchLoopbackIsNeverFetched) {
  const std::int64_t round = round_with_evidence();
  const auto r = testing::run_ita("oit check --round " + std::to_string(round) + fetch_flags());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("O1\trefused\t"), std::string::npos) << r.out;
  EXPECT_EQ(site_.connections_total(), 0);
}

TEST_F(OitCli, FetchPrintsAJsonLinePerUrl) {
  const auto r =
      testing::run_ita("oit fetch " + site_.https_url("/o1") + " " + site_.http_url("/o2") +
                       " ftp://x/ --ca-file " + site_.ca_file() + " --allow-loopback");
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::vector<nlohmann::json> got;
  for (std::string line; std::getline(lines, line);) got.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(got.size(), 3u) << r.out;
  EXPECT_EQ(got[0]["status"], 200);
  EXPECT_EQ(got[0]["error"], "none");
  EXPECT_GT(got[0]["bytes"].get<int>(), 100);
  EXPECT_EQ(got[1]["status"], 404);
  EXPECT_EQ(got[2]["error"], "bad_url");
}

TEST_F(OitCli, AnUnknownRoundIsExitTwo) {
  const auto r = testing::run_ita("oit check --round 999" + fetch_flags());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("999"), std::string::npos) << r.err;
  EXPECT_EQ(testing::run_ita("oit check --round 1 --all" + fetch_flags()).code, 2);
}

}  // namespace
}  // namespace ita
