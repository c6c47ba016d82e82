// `ita score --dataset`: a data set scored straight from its files equals the same data set
// imported and scored from the store, and a bad file is refused with the very message
// `ita import` gives, whichever thread reads the bad row.
#include "io/dataset_scoring.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>

#include "io/edition_registry.hpp"
#include "io/national_dataset.hpp"
#include "national_test_support.hpp"
#include "store/bulk_import.hpp"
#include "store/national_reader.hpp"

namespace ita::io {
namespace {

namespace fs = std::filesystem;

const EditionSet& editions() {
  static const EditionSet set = EditionSet::builtin();
  return set;
}
const Edition* find_edition(std::string_view id) {
  return editions().find(id);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class DatasetScoring : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ita-dataset-scoring-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    DatagenOptions o;
    o.agencies = 40;
    o.respondents = 2000;
    o.seed = 7;
    o.out_dir = (dir_ / "set").string();
    generate_national_dataset(editions().get("2564"), o);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path set() const { return dir_ / "set"; }
  // Rewrites one file of the data set.
  void edit(const char* file, const std::function<void(std::string&)>& change) const {
    std::string text = slurp(set() / file);
    change(text);
    std::ofstream(set() / file, std::ios::binary | std::ios::trunc) << text;
  }
  // The message of `ita import` for the data set as it is now (into a fresh SQLite file).
  std::string import_message() const {
    const std::string db = (dir_ / ("import-" + std::to_string(++imports_) + ".sqlite")).string();
    try {
      store::bulk_import(set().string(), db, find_edition);
    } catch (const DatasetError& e) {
      return e.what();
    }
    return "imported";
  }
  std::string score_message(unsigned jobs) const {
    try {
      score_dataset(
          set().string(), find_edition, [](DatasetRound&&) {}, jobs);
    } catch (const DatasetError& e) {
      return e.what();
    }
    return "scored";
  }
  // Both consumers refuse the data set with the same message, one thread or several.
  void expect_refused_alike(const std::string& needle) const {
    const std::string imported = import_message();
    EXPECT_NE(imported.find(needle), std::string::npos) << imported;
    for (unsigned jobs : {1u, 2u, 3u, 7u}) EXPECT_EQ(score_message(jobs), imported) << jobs;
  }

  fs::path dir_;
  mutable int imports_ = 0;
};

TEST_F(DatasetScoring, EveryAgencyScoresAsWhenImportedAndScoredFromTheStore) {
  const std::string db = (dir_ / "ita.sqlite").string();
  store::bulk_import(set().string(), db, find_edition);  // a fresh store: agency id = CSV id
  std::map<std::int64_t, national::RoundOutcome> stored;
  store::score_all_rounds(
      db, find_edition, [&](store::NationalRound&& r) { stored[r.agency.id] = r.outcome; }, 1);
  ASSERT_EQ(stored.size(), 40u);
  for (unsigned jobs : {1u, 2u, 3u, 7u}) {
    std::vector<std::int64_t> order;
    const DatasetScoreStats stats = score_dataset(
        set().string(), find_edition,
        [&](DatasetRound&& r) {
          order.push_back(r.agency.id);
          ASSERT_TRUE(stored.contains(r.agency.id));
          const national::RoundOutcome& s = stored[r.agency.id];
          ASSERT_EQ(s.result.has_value(), r.outcome.result.has_value()) << r.agency.id;
          // The store's rows come in another respondent order: sums within 1e-9.
          if (s.result) test::expect_same_result(*s.result, *r.outcome.result, false);
        },
        jobs);
    EXPECT_EQ(stats.agencies, 40u);
    EXPECT_EQ(stats.responses, 2000u);
    EXPECT_EQ(stats.oit_verdicts, 40u * editions().get("2564").oit.items.size());
    EXPECT_EQ(stats.streams, jobs);
    ASSERT_EQ(order.size(), 40u);
    for (std::size_t i = 0; i < order.size(); ++i)
      EXPECT_EQ(order[i], static_cast<std::int64_t>(i + 1));  // agencies.csv order
  }
}

TEST_F(DatasetScoring, AnAgencyWithoutAnswersGetsItsReasonsNotAResult) {
  edit("agencies.csv", [](std::string& t) { t += "41,อบต.ว่าง,เมือง,ตาก,อบต.,10,10\n"; });
  bool seen = false;
  score_dataset(set().string(), find_edition, [&](DatasetRound&& r) {
    if (r.agency.id != 41) return;
    seen = true;
    EXPECT_FALSE(r.outcome.result.has_value());
    EXPECT_FALSE(r.outcome.missing.empty());
  });
  EXPECT_TRUE(seen);
}

TEST_F(DatasetScoring, AnUnknownUnitNearTheEndIsRefusedAtItsLineAsImportRefusesIt) {
  edit("answers.csv", [](std::string& t) {
    const auto at = t.rfind(",I2,");  // the last respondent of the last IIT block
    ASSERT_NE(at, std::string::npos);
    t.replace(at, 4, ",I2x,");
  });
  expect_refused_alike("I2x");
}

TEST_F(DatasetScoring, AnAgencyWhoseRowsAreApartIsRefusedAsImportRefusesIt) {
  // The first agency's first respondent moved to the end: a thread reading the end alone sees
  // nothing wrong, so the check across ranges must.
  edit("answers.csv", [](std::string& t) {
    const std::size_t header = t.find('\n') + 1;
    std::size_t end = header;
    for (;;) {
      const std::size_t next = t.find('\n', end) + 1;
      if (t.compare(end, 8, "1,IIT,1,") != 0) break;
      end = next;
    }
    ASSERT_GT(end, header);
    const std::string moved = t.substr(header, end - header);
    t.erase(header, end - header);
    t += moved;
  });
  expect_refused_alike("the rows of agency 1 are not together");
}

TEST_F(DatasetScoring, BadAgenciesAndVerdictsAreRefusedAsImportRefusesThem) {
  edit("oit.csv", [](std::string& t) {
    const auto at = t.rfind(",pass");
    ASSERT_NE(at, std::string::npos);
    t.replace(at, 5, ",maybe");
  });
  expect_refused_alike("field verdict: expected pass or fail");
  edit("agencies.csv", [](std::string& t) {
    const auto at = t.find("\n2,");
    const auto province = t.find(',', t.find(',', t.find(',', at + 1) + 1) + 1);
    t.insert(province + 1, "เมือง");  // a province that is not one of the 77
  });
  expect_refused_alike("agencies.csv: line 3: field province");
}

TEST_F(DatasetScoring, AMissingFileOrUnknownEditionIsRefused) {
  fs::remove(set() / "oit.csv");
  EXPECT_NE(score_message(2).find("oit.csv: cannot open the file"), std::string::npos);
  EXPECT_NE(score_message(2).find("oit.csv"), std::string::npos);
  edit("dataset.json", [](std::string& t) { t.replace(t.find("\"2564\""), 6, "\"2400\""); });
  EXPECT_NE(score_message(1).find("/edition: unknown edition 2400"), std::string::npos);
}

}  // namespace
}  // namespace ita::io
