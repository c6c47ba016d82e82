// `ita import` and the national scorer on both backends: a generated data set loaded in bulk,
// read back through the Store, and scored in one pass — equal to the per-round engine.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>
#include <vector>

#include "core/error.hpp"
#include "io/edition_registry.hpp"
#include "io/national_dataset.hpp"
#include "national_test_support.hpp"
#include "pg_cluster.hpp"
#include "raw_db.hpp"
#include "service/scoring.hpp"
#include "store/bulk_import.hpp"
#include "store/national_reader.hpp"
#include "store/store.hpp"

namespace ita::store {
namespace {

namespace fs = std::filesystem;

enum class Backend { SQLite, PostgreSQL };
void PrintTo(Backend b, std::ostream* os) {
  *os << (b == Backend::SQLite ? "SQLite" : "PostgreSQL");
}

const io::EditionSet& editions() {
  static const io::EditionSet set = io::EditionSet::builtin();
  return set;
}
const Edition* find_edition(std::string_view id) {
  return editions().find(id);
}

fs::path generated(const std::string& name, std::size_t agencies, std::size_t respondents,
                   std::uint64_t seed) {
  const fs::path d =
      fs::temp_directory_path() / ("ita-national-set-" + std::to_string(::getpid())) / name;
  fs::remove_all(d);
  io::DatagenOptions o;
  o.agencies = agencies;
  o.respondents = respondents;
  o.seed = seed;
  o.out_dir = d.string();
  io::generate_national_dataset(editions().get("2564"), o);
  return d;
}

// One generated data set (30 agencies, 3,000 respondents) shared by every test of the process.
const fs::path& dataset() {
  static const fs::path dir = generated("main", 30, 3000, 2564);
  return dir;
}

// Removes the shared data set when the test program ends.
class RemoveDataset : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(fs::temp_directory_path() / ("ita-national-set-" + std::to_string(::getpid())),
                   ec);
  }
};
[[maybe_unused]] ::testing::Environment* const remove_dataset =
    ::testing::AddGlobalTestEnvironment(new RemoveDataset);

class NationalStore : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::SQLite) {
      dir_ = fs::temp_directory_path() /
             ("ita-national-db-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
      fs::remove_all(dir_);
      fs::create_directories(dir_);
      url_ = (dir_ / "ita.sqlite").string();
      return;
    }
    std::string why;
    test::PgCluster* cluster = test::PgCluster::shared(why);
    if (cluster == nullptr) {
      if (test::postgres_required()) FAIL() << "ITA_REQUIRE_POSTGRES=1, but " << why;
      GTEST_SKIP() << "no PostgreSQL, test skipped: " << why;
    }
    url_ = cluster->fresh_database_url();
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  std::unique_ptr<test::RawDb> raw() {
    return GetParam() == Backend::SQLite ? test::open_raw_sqlite(url_)
                                         : test::open_raw_postgres(url_);
  }
  std::string count(const std::string& table) {
    return *raw()->query("SELECT count(*) FROM " + table).at(0).at(0);
  }

  fs::path dir_;
  std::string url_;
};

TEST_P(NationalStore, ImportLoadsEveryRowAndTheStoreReadsThemBack) {
  const ImportSummary s = bulk_import(dataset().string(), url_, find_edition);
  EXPECT_EQ(s.edition, "2564");
  EXPECT_EQ(s.agencies, 30u);
  EXPECT_EQ(s.rounds, 30u);
  EXPECT_EQ(s.responses, 3000u);
  EXPECT_EQ(s.oit_entries, 30u * editions().get("2564").oit.items.size());
  EXPECT_EQ(s.first_agency_id, 1);

  std::ifstream manifest(dataset() / "dataset.json");
  std::stringstream text;
  text << manifest.rdbuf();
  EXPECT_NE(text.str().find("\"answers\": " + std::to_string(s.answers)), std::string::npos);

  EXPECT_EQ(count("agencies"), "30");
  EXPECT_EQ(count("rounds"), "30");
  EXPECT_EQ(count("responses"), "3000");
  EXPECT_EQ(count(GetParam() == Backend::SQLite ? "responses r, json_each(r.answers)"
                                                : "responses r, json_array_elements(r.answers)"),
            std::to_string(s.answers));
  EXPECT_EQ(count("answer_layouts"), "2")
      << "one set of units per tool: every respondent answers all";
  EXPECT_EQ(count("imports"), "1");
  EXPECT_EQ(s.dataset_sha256.size(), 64u);
  EXPECT_FALSE(s.already_imported);
  EXPECT_EQ(count("oit_entries"), std::to_string(s.oit_entries));

  // The store opens it (migrations already applied) and sees what the web application would.
  auto store = open_store(url_);
  const auto agencies = store->agencies();
  ASSERT_EQ(agencies.size(), 30u);
  std::size_t responses = 0, answers = 0;
  const std::regex hex32("^[0-9a-f]{32}$");
  for (const auto& a : agencies) {
    const auto rounds = store->rounds_of_agency(a.id);
    ASSERT_EQ(rounds.size(), 1u);
    EXPECT_EQ(rounds[0].edition_id, "2564");
    EXPECT_EQ(rounds[0].status, RoundStatus::Closed);
    EXPECT_NE(rounds[0].iit_token, rounds[0].eit_token);
    const auto counts = store->response_counts(rounds[0].id);
    EXPECT_GT(counts.at(ToolId::IIT), 0);
    EXPECT_GT(counts.at(ToolId::EIT), 0);
    responses += static_cast<std::size_t>(counts.at(ToolId::IIT) + counts.at(ToolId::EIT));
    store->for_each_answer(rounds[0].id, [&](const AnswerRow& row) {
      ++answers;
      EXPECT_TRUE(std::regex_match(row.response_id, hex32));
    });
    const auto oit = store->oit_entries(rounds[0].id);
    ASSERT_EQ(oit.size(), editions().get("2564").oit.items.size());
    for (const auto& entry : oit) {
      EXPECT_EQ(entry.stage, OitStage::Confirmed);
      EXPECT_TRUE(entry.effective_verdict().has_value());
      EXPECT_EQ(entry.verdict, entry.final_verdict);
    }
  }
  EXPECT_EQ(responses, 3000u);
  EXPECT_EQ(answers, s.answers);

  // Days: April–May of the fiscal year 2564 (2021), never a time of day.
  for (const auto& row : raw()->query("SELECT DISTINCT day FROM responses")) {
    EXPECT_TRUE(std::regex_match(*row.at(0), std::regex("^2021-0[45]-[0-3][0-9]$"))) << *row.at(0);
  }
}

TEST_P(NationalStore, ImportingTheSameDataSetAgainChangesNothing) {
  const ImportSummary first = bulk_import(dataset().string(), url_, find_edition);
  const auto before = raw()->query("SELECT slot, id, answers FROM responses ORDER BY slot");
  const ImportSummary again = bulk_import(dataset().string(), url_, find_edition);
  EXPECT_TRUE(again.already_imported);
  EXPECT_EQ(again.dataset_sha256, first.dataset_sha256);
  EXPECT_EQ(again.agencies, first.agencies);
  EXPECT_EQ(again.responses, first.responses);
  EXPECT_EQ(again.answers, first.answers);
  EXPECT_EQ(again.first_agency_id, 1);
  EXPECT_EQ(count("agencies"), "30");
  EXPECT_EQ(count("imports"), "1");
  EXPECT_EQ(raw()->query("SELECT slot, id, answers FROM responses ORDER BY slot"), before);

  // One changed byte is another data set.
  const fs::path changed = generated("changed", 30, 3000, 2564);
  {
    std::ifstream in(changed / "oit.csv");
    std::stringstream all;
    all << in.rdbuf();
    std::string text = all.str();
    const auto at = text.find(",pass");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 5, ",fail");
    std::ofstream(changed / "oit.csv", std::ios::trunc) << text;
  }
  const ImportSummary other = bulk_import(changed.string(), url_, find_edition);
  EXPECT_FALSE(other.already_imported);
  EXPECT_NE(other.dataset_sha256, first.dataset_sha256);
  EXPECT_EQ(count("agencies"), "60");
}

TEST_P(NationalStore, AnotherDataSetIsAddedAfterTheExistingOnes) {
  bulk_import(dataset().string(), url_, find_edition);
  const ImportSummary again =
      bulk_import(generated("second", 30, 3000, 7).string(), url_, find_edition);
  EXPECT_FALSE(again.already_imported);
  EXPECT_EQ(again.first_agency_id, 31);
  EXPECT_EQ(again.first_round_id, 31);
  EXPECT_EQ(count("agencies"), "60");
  EXPECT_EQ(count("responses"), "6000");
  EXPECT_EQ(count("answer_layouts"), "2") << "the second set reuses the stored layouts";
  // The id sequences moved past the imported ids: the store can still create agencies.
  auto store = open_store(url_);
  const Agency created =
      store->create_agency({0, "เทศบาลตำบลทดสอบ", "เมือง", "น่าน", "เทศบาลตำบล"}, std::nullopt);
  EXPECT_EQ(created.id, 61);
}

TEST_P(NationalStore, ABadRowAbortsTheImportAndStoresNothing) {
  const fs::path bad =
      fs::temp_directory_path() / ("ita-national-bad-" + std::to_string(::getpid()) + "-" +
                                   (GetParam() == Backend::SQLite ? "sqlite" : "pg"));
  fs::remove_all(bad);
  fs::copy(dataset(), bad);
  {
    std::ifstream in(bad / "answers.csv");
    std::stringstream all;
    all << in.rdbuf();
    std::string text = all.str();
    const auto at = text.find(",I2,");  // the first respondent's I2 …
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 4, ",I2x,");  // … becomes a unit the edition does not have
    std::ofstream(bad / "answers.csv", std::ios::trunc) << text;
  }
  try {
    bulk_import(bad.string(), url_, find_edition);
    ADD_FAILURE() << "a bad row was imported";
  } catch (const ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("answers.csv: line "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("I2x"), std::string::npos) << e.what();
  }
  EXPECT_EQ(count("agencies"), "0");
  EXPECT_EQ(count("responses"), "0");
  EXPECT_EQ(count("imports"), "0");
  auto store = open_store(url_);
  EXPECT_TRUE(store->agencies().empty());
  fs::remove_all(bad);

  EXPECT_THROW(
      bulk_import((fs::temp_directory_path() / "no-such-ita-dataset").string(), url_, find_edition),
      ImportError);
}

// An agency row follows the rules of stored text as an agency added on the web does
// (core/text_rules.hpp): a province outside the 77 or a name with a control character aborts the
// import, naming the file, the line and the field.
TEST_P(NationalStore, AnAgencyOutsideTheTextRulesAbortsTheImport) {
  const fs::path bad =
      fs::temp_directory_path() / ("ita-national-text-" + std::to_string(::getpid()) + "-" +
                                   (GetParam() == Backend::SQLite ? "sqlite" : "pg"));
  for (const auto& [field, value, message] :
       {std::tuple{3, std::string("แอตแลนติส"),
                   std::string("agencies.csv: line 2: field province: \"แอตแลนติส\" is not one of "
                               "Thailand's 77 provinces")},
        std::tuple{1, std::string("อบต.\x07"),
                   std::string("agencies.csv: line 2: field agency.name: the text has the control "
                               "character U+0007")}}) {
    fs::remove_all(bad);
    fs::copy(dataset(), bad);
    std::ifstream in(bad / "agencies.csv");
    std::string header, first, rest;
    std::getline(in, header);
    std::getline(in, first);
    std::stringstream tail;
    tail << in.rdbuf();
    in.close();
    std::vector<std::string> f;
    std::stringstream cells(first);
    for (std::string cell; std::getline(cells, cell, ',');) f.push_back(cell);
    ASSERT_EQ(f.size(), 7U) << first;
    f[field] = value;
    std::string row;
    for (const auto& cell : f) row += (row.empty() ? "" : ",") + cell;
    std::ofstream(bad / "agencies.csv", std::ios::trunc) << header << "\n"
                                                         << row << "\n"
                                                         << tail.str();
    try {
      bulk_import(bad.string(), url_, find_edition);
      ADD_FAILURE() << value << " was imported";
    } catch (const ImportError& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
    EXPECT_EQ(count("agencies"), "0");
  }
  fs::remove_all(bad);
}

TEST_P(NationalStore, NationalScoresEqualThePerRoundEngine) {
  bulk_import(dataset().string(), url_, find_edition);
  auto store = open_store(url_);
  // A round the engine cannot score: no answers, no verdicts.
  const Agency extra = store->create_agency({0, "อบต.ว่าง", "เมือง", "ตาก", "อบต."}, std::nullopt);
  User admin;
  admin.email = "admin@national.test";
  admin.role = Role::Admin;
  admin.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  const User u = store->create_user(admin, std::nullopt);
  Round empty;
  empty.agency_id = extra.id;
  empty.edition_id = "2564";
  empty.iit_token = "national-test-iit";
  empty.eit_token = "national-test-eit";
  empty.status = RoundStatus::Open;
  store->create_round(empty, u.id);

  for (unsigned jobs : {1u, 2u, 3u}) {
    std::vector<NationalRound> rounds;
    const NationalStats stats = score_all_rounds(
        url_, find_edition, [&](NationalRound&& r) { rounds.push_back(std::move(r)); }, jobs,
        /*with_items=*/true);
    EXPECT_EQ(stats.rounds, 31u);
    EXPECT_EQ(stats.responses, 3000u);
    EXPECT_EQ(stats.streams, jobs);
    EXPECT_EQ(stats.orphans, 0u);
    ASSERT_EQ(rounds.size(), 31u);
    std::int64_t previous = 0;
    for (const auto& r : rounds) {
      EXPECT_GT(r.round_id, previous);  // in round id order
      previous = r.round_id;
      const auto round = store->round(r.round_id);
      ASSERT_TRUE(round.has_value());
      EXPECT_EQ(r.agency.id, round->agency_id);
      const service::RoundScore engine =
          service::score_round(*store, editions().get(round->edition_id), *round);
      ASSERT_EQ(engine.result.has_value(), r.outcome.result.has_value()) << "round " << r.round_id;
      if (!engine.result) {
        EXPECT_FALSE(r.outcome.missing.empty());
        continue;
      }
      // One SQLite stream adds in the engine's order (exact); otherwise within 1e-9.
      const bool exact = jobs == 1 && GetParam() == Backend::SQLite;
      test::expect_same_result(*engine.result, *r.outcome.result, exact);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, NationalStore,
                         ::testing::Values(Backend::SQLite, Backend::PostgreSQL),
                         [](const auto& backend) {
                           return backend.param == Backend::SQLite ? "SQLite" : "PostgreSQL";
                         });

}  // namespace
}  // namespace ita::store
