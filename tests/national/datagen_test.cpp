// `ita datagen` as a library: determinism, the file formats, and data the engine accepts.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "io/answers_csv.hpp"
#include "io/edition_registry.hpp"
#include "io/national_dataset.hpp"
#include "io/thai_provinces.hpp"

namespace ita::io {
namespace {

namespace fs = std::filesystem;

const Edition& edition_2564() {
  static const EditionSet set = EditionSet::builtin();
  return set.get("2564");
}

fs::path temp_dir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("ita-national-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  return dir;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::vector<std::string>> csv_rows(const fs::path& p) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line)) rows.push_back(*split_csv_line(line));
  return rows;
}

DatagenOptions options(const fs::path& dir, std::uint64_t seed) {
  DatagenOptions o;
  o.agencies = 30;
  o.respondents = 3000;
  o.seed = seed;
  o.out_dir = dir.string();
  return o;
}

TEST(Datagen, SameSeedSameBytesOtherSeedOtherData) {
  const fs::path a = temp_dir("a"), b = temp_dir("b"), c = temp_dir("c");
  generate_national_dataset(edition_2564(), options(a, 42));
  generate_national_dataset(edition_2564(), options(b, 42));
  generate_national_dataset(edition_2564(), options(c, 43));
  for (const char* f : {"agencies.csv", "answers.csv", "oit.csv", "dataset.json"}) {
    const std::string first = slurp(a / f);
    EXPECT_FALSE(first.empty()) << f;
    EXPECT_EQ(first, slurp(b / f)) << f << " differs between two runs with the same seed";
  }
  EXPECT_NE(slurp(a / "answers.csv"), slurp(c / "answers.csv"));
  EXPECT_NE(slurp(a / "oit.csv"), slurp(c / "oit.csv"));
  for (const auto& d : {a, b, c}) fs::remove_all(d);
}

TEST(Datagen, FilesHoldWhatTheManifestSays) {
  const fs::path dir = temp_dir("files");
  const DatagenSummary s = generate_national_dataset(edition_2564(), options(dir, 7));
  const Edition& e = edition_2564();
  EXPECT_EQ(s.agencies, 30u);
  EXPECT_EQ(s.iit_respondents + s.eit_respondents, 3000u);
  EXPECT_NEAR(static_cast<double>(s.iit_respondents) / 3000.0, 1.0 / 3.0, 0.05);

  const auto manifest = nlohmann::json::parse(slurp(dir / "dataset.json"));
  EXPECT_EQ(manifest["format"], kNationalDatasetFormat);
  EXPECT_EQ(manifest["edition"], "2564");
  EXPECT_EQ(manifest["seed"], 7);
  EXPECT_EQ(manifest["answers"], s.answers);
  EXPECT_EQ(manifest["respondents"], 3000);

  std::set<std::string> provinces;
  for (const auto& p : thai_provinces()) provinces.insert(std::string(p.name_th));
  EXPECT_EQ(provinces.size(), 77u);
  const auto agencies = csv_rows(dir / "agencies.csv");
  ASSERT_EQ(agencies.size(), 31u);
  EXPECT_EQ(agencies[0], (std::vector<std::string>{"id", "name", "district", "province", "type",
                                                   "staff_count", "service_users"}));
  for (std::size_t i = 1; i < agencies.size(); ++i) {
    EXPECT_EQ(agencies[i][0], std::to_string(i));
    EXPECT_FALSE(agencies[i][1].empty());
    EXPECT_TRUE(provinces.contains(agencies[i][3])) << agencies[i][3];
    EXPECT_FALSE(agencies[i][4].empty());
  }

  // Every respondent answers every unit of its questionnaire once, in edition order, with an
  // option of the unit's scale; every agency has IIT and EIT respondents.
  std::vector<std::string> iit_units, eit_units;
  for (ToolId t : {ToolId::IIT, ToolId::EIT}) {
    for (const auto& item : e.questionnaire(t).items) {
      for (const auto& sub : item.sub_items)
        (t == ToolId::IIT ? iit_units : eit_units).push_back(sub.code);
    }
  }
  const auto answers = csv_rows(dir / "answers.csv");
  ASSERT_EQ(answers.size(), s.answers + 1);
  EXPECT_EQ(answers[0],
            (std::vector<std::string>{"agency", "tool", "respondent", "item", "answer"}));
  std::map<std::string, std::set<std::string>> respondents[2];
  std::size_t k = 1;
  while (k < answers.size()) {
    const auto& first = answers[k];
    const bool iit = first[1] == "IIT";
    const auto& units = iit ? iit_units : eit_units;
    ASSERT_TRUE(respondents[iit ? 0 : 1][first[0]].insert(first[2]).second)
        << "respondent rows not together";
    for (const auto& unit : units) {
      ASSERT_LT(k, answers.size());
      const auto& row = answers[k++];
      ASSERT_EQ(row[0], first[0]);
      ASSERT_EQ(row[2], first[2]);
      ASSERT_EQ(row[3], unit);
      ASSERT_TRUE(e.points(*e.find_answer_unit(unit), row[4]).has_value()) << unit << "=" << row[4];
    }
  }
  std::size_t total = 0;
  for (std::size_t a = 1; a <= 30; ++a) {
    EXPECT_FALSE(respondents[0][std::to_string(a)].empty())
        << "agency " << a << " has no IIT respondent";
    EXPECT_FALSE(respondents[1][std::to_string(a)].empty())
        << "agency " << a << " has no EIT respondent";
    total += respondents[0][std::to_string(a)].size() + respondents[1][std::to_string(a)].size();
  }
  EXPECT_EQ(total, 3000u);

  const auto oit = csv_rows(dir / "oit.csv");
  ASSERT_EQ(oit.size(), 1 + 30 * e.oit.items.size());
  for (std::size_t i = 1; i < oit.size(); ++i) {
    EXPECT_NE(e.find_oit_item(oit[i][1]), nullptr);
    EXPECT_TRUE(oit[i][2] == "pass" || oit[i][2] == "fail");
  }
  fs::remove_all(dir);
}

// One agency's rows, without the agency column, are a file `ita score FILE.csv` reads.
TEST(Datagen, AnAgencysRowsAreTheAnswersCsvFormat) {
  const fs::path dir = temp_dir("format");
  generate_national_dataset(edition_2564(), options(dir, 3));
  std::string csv = "tool,respondent,item,answer\n";
  for (const auto& row : csv_rows(dir / "answers.csv")) {
    if (row[0] == "2") csv += row[1] + "," + row[2] + "," + row[3] + "," + row[4] + "\n";
  }
  for (const auto& row : csv_rows(dir / "oit.csv")) {
    if (row[0] == "2") csv += "OIT,," + row[1] + "," + row[2] + "\n";
  }
  std::istringstream in(csv);
  AnswerTally tally(edition_2564());
  ASSERT_NO_THROW(read_answers_csv(in, "agency-2.csv", tally));
  const Result r = score(edition_2564(), tally);
  EXPECT_GT(r.total, 0.0);
  EXPECT_GT(tally.respondents(ToolId::IIT), 0u);
  fs::remove_all(dir);
}

TEST(Datagen, LevelsSpreadFromTopToBottomAtScale) {
  // 600 agencies are enough for every letter grade of 2564 to occur.
  const fs::path dir = temp_dir("spread");
  DatagenOptions o = options(dir, 11);
  o.agencies = 600;
  o.respondents = 600 * 12;
  generate_national_dataset(edition_2564(), o);
  const Edition& e = edition_2564();
  std::map<std::string, AnswerTally> tallies;
  for (const auto& row : csv_rows(dir / "answers.csv")) {
    if (row[0] == "agency") continue;
    tallies.try_emplace(row[0], e).first->second.add(*parse_tool(row[1]), row[2], row[3], row[4]);
  }
  for (const auto& row : csv_rows(dir / "oit.csv")) {
    if (row[0] != "agency") tallies.at(row[0]).add_oit(row[1], row[2] == "pass");
  }
  std::set<std::string> levels;
  for (const auto& [agency, tally] : tallies) levels.insert(score(e, tally).level.code);
  EXPECT_EQ(levels, (std::set<std::string>{"AA", "A", "B", "C", "D", "E", "F"}));
  fs::remove_all(dir);
}

TEST(Datagen, RefusesFewerThanTwoRespondentsPerAgency) {
  const fs::path dir = temp_dir("refuse");
  DatagenOptions o = options(dir, 1);
  o.respondents = 59;
  EXPECT_THROW(generate_national_dataset(edition_2564(), o), InputError);
  o.agencies = 0;
  EXPECT_THROW(generate_national_dataset(edition_2564(), o), InputError);
  EXPECT_FALSE(fs::exists(dir / "dataset.json"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ita::io
