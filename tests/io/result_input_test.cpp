#include "io/result_input.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/rounding.hpp"
#include "io/json_error.hpp"
#include "support/synthetic.hpp"

namespace ita::io {
namespace {

namespace fs = std::filesystem;

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ita-input-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& content) {
    const auto p = dir_ / name;
    std::ofstream(p) << content;
    return p.string();
  }
  fs::path dir_;
};

using ResultInputTest = TempDir;

std::string error_of(const std::string& path) {
  try {
    score_file(path, EditionSet::builtin());
  } catch (const FileError& e) {
    return e.what();
  } catch (const InputError& e) {
    return std::string("InputError: ") + e.what();
  }
  return "";
}

TEST_F(ResultInputTest, SeedFixtureScores) {
  const auto s = score_file(testing::source_path("tests/fixtures/seed-2566-indicators.json"),
                            EditionSet::builtin());
  EXPECT_EQ(s.agency.name, "เทศบาลตำบลแม่สายมิตรภาพ");
  EXPECT_EQ(s.edition->id, "2566");
  EXPECT_EQ(format2(round2(s.result.total)), "91.47");
}

TEST_F(ResultInputTest, BadInputsNameTheField) {
  const std::string head = R"({"format":"ita-result-input/1","edition":"2566","indicators":)";
  const std::string good =
      R"({"1":95.01,"2":84.45,"3":88.62,"4":83.07,"5":86.04,"6":85.07,"7":84.54,"8":82.73,"9":100,"10":100})";
  EXPECT_EQ(error_of(write("ok.json", head + good + "}")), "");

  std::string missing = good;
  missing.replace(missing.find(",\"7\":84.54"), 10, "");
  EXPECT_NE(error_of(write("a.json", head + missing + "}"))
                .find("/indicators/7: missing the score of indicator 7"),
            std::string::npos)
      << error_of(write("a.json", head + missing + "}"));

  std::string high = good;
  high.replace(high.find("82.73"), 5, "182.7");
  EXPECT_NE(error_of(write("b.json", head + high + "}"))
                .find("/indicators/8: score must be a number from 0 to 100"),
            std::string::npos);

  EXPECT_NE(error_of(write("c.json", head + R"({"1":"95"}})"))
                .find("/indicators/1: expected a number, found string"),
            std::string::npos);
  EXPECT_NE(error_of(write("d.json", head + R"({"x":95}})"))
                .find("/indicators/x: expected an indicator number"),
            std::string::npos);
  EXPECT_NE(
      error_of(write("e.json",
                     R"({"format":"ita-result-input/1","edition":"2599","indicators":{"1":50}})"))
          .find("unknown edition \"2599\""),
      std::string::npos);
  EXPECT_NE(error_of(write("f.json", R"({"format":"ita-result-input/1","edition":"2566"})"))
                .find("expected \"indicators\""),
            std::string::npos);
  EXPECT_NE(error_of(write("g.json", "{\"format\": \n")).find("g.json: line 2"), std::string::npos)
      << error_of(write("g.json", "{\"format\": \n"));
  EXPECT_NE(error_of(write("h.json", head + good + R"(,"items":{"I999":50}})"))
                .find("/items/I999: unknown item code"),
            std::string::npos);
  EXPECT_NE(error_of((dir_ / "nope.json").string()).find("cannot open"), std::string::npos);
}

// Found by fuzz_result_input (fuzz/corpus/fuzz_result_input/regression-number-overflow): a
// number too large for a double made the JSON parser throw out_of_range, which escaped as a crash.
TEST_F(ResultInputTest, ANumberTooLargeIsAFileError) {
  const std::string e =
      error_of(write("big.json", R"({"format": 7777777777E002009696233722217329})"));
  EXPECT_NE(e.find("big.json"), std::string::npos) << e;
  EXPECT_NE(e.find("invalid JSON: number overflow parsing '7777777777E002009696233722217329'"),
            std::string::npos)
      << e;
}

TEST_F(ResultInputTest, RawAnswersThroughAJsonInput) {
  const auto agency = testing::make_agency(testing::edition_path("2564"), 5, 12, 20);
  std::string csv = "tool,respondent,item,answer\n";
  std::string oit;
  for (const auto& r : agency.rows) {
    if (r.tool == "OIT") {
      oit += (oit.empty() ? "" : ",") + std::string("\"") + r.item + "\":\"" + r.answer + "\"";
    } else {
      csv += r.tool + "," + r.respondent + "," + r.item + "," + r.answer + "\n";
    }
  }
  write("answers.csv", csv);
  const auto path = write(
      "in.json",
      R"({"format":"ita-result-input/1","edition":"2564","answers_file":"answers.csv","oit":{)" +
          oit + "}}");
  const auto s = score_file(path, EditionSet::builtin());
  const auto expected =
      testing::independent_indicator_scores(testing::edition_path("2564"), agency);
  for (const auto& [id, v] : expected) EXPECT_NEAR(s.result.indicator(id)->score, v, 1e-9);

  // The same answers as one CSV with --edition.
  const auto csv_path = write("all.csv", testing::to_csv(agency));
  const auto s2 = score_file(csv_path, EditionSet::builtin(), ScoreOptions{"2564"});
  EXPECT_DOUBLE_EQ(s2.result.total, s.result.total);
  EXPECT_NE(error_of(csv_path).find("needs --edition"), std::string::npos);
}

TEST_F(ResultInputTest, ClaimsParse) {
  const auto c = parse_claims(
      read_file(testing::source_path("tests/fixtures/seed-2567-claims.json")), "claims.json");
  EXPECT_EQ(c.edition, "2566");
  EXPECT_EQ(c.claims.indicators.at(6).size(), 2u);
  EXPECT_EQ(c.claims.level_label_th, "ผ่าน");
  EXPECT_THROW(
      parse_claims(R"({"format":"ita-published-claims/1","edition":"2566","tools":{"XYZ":1}})",
                   "c.json"),
      FileError);
}

}  // namespace
}  // namespace ita::io
