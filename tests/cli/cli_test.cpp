// Drives the real `ita` binary: output, exit codes, and no partial output files.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "io/edition_json.hpp"
#include "io/edition_registry.hpp"
#include "support/run_ita.hpp"
#include "support/synthetic.hpp"

namespace ita {
namespace {

namespace fs = std::filesystem;

using testing::CmdRun;

CmdRun ita(const std::string& args) {
  return testing::run_ita(args);
}

std::string fixture(const char* name) {
  return testing::source_path(std::string("tests/fixtures/") + name);
}

std::string strip_spaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n') out += c;
  }
  return out;
}

TEST(Cli, ScoreSeedJson) {
  const CmdRun r = ita("score " + fixture("seed-2566-indicators.json") + " --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_DOUBLE_EQ(j["total"].get<double>(), 91.47);
  EXPECT_EQ(j["level"]["code"], "pass");
  EXPECT_EQ(j["level"]["label_th"], "ผ่าน");
  std::map<std::string, double> tools;
  for (const auto& t : j["tools"]) tools[t["id"]] = t["score"];
  EXPECT_DOUBLE_EQ(tools["IIT"], 87.44);
  EXPECT_DOUBLE_EQ(tools["EIT"], 84.11);
  EXPECT_DOUBLE_EQ(tools["OIT"], 100.00);
  std::map<int, int> rank_of;
  for (const auto& i : j["indicators"]) {
    EXPECT_TRUE(i.contains("name_th"));
    EXPECT_TRUE(i.contains("tool"));
    EXPECT_TRUE(i.contains("score"));
    rank_of[i["rank"]] = i["id"];
  }
  std::vector<int> order;
  for (const auto& [rank, id] : rank_of) order.push_back(id);
  EXPECT_EQ(order, (std::vector<int>{9, 10, 1, 3, 5, 6, 7, 2, 4, 8}));
}

TEST(Cli, SharedFixtureWhenPresent) {
  const std::string shared = std::string(ITA_SHARED_DIR) + "/fixtures/seed-2566-indicators.json";
  if (!fs::exists(shared)) GTEST_SKIP() << "no ../shared beside the clone";
  const CmdRun r = ita("score " + shared + " --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(r.out)["total"].get<double>(), 91.47);
}

TEST(Cli, ThaiTextWithThaiDigits) {
  const CmdRun r = ita("score " + fixture("seed-2566-indicators.json") + " --thai-digits");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("คะแนนรวม: ๙๑.๔๗"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ผ่าน"), std::string::npos);
  EXPECT_EQ(r.out.find("91.47"), std::string::npos);
  const CmdRun plain = ita("score " + fixture("seed-2566-indicators.json"));
  EXPECT_NE(plain.out.find("คะแนนรวม: 91.47"), std::string::npos);
}

TEST(Cli, AnalyzeWhatIfAndAudit) {
  const CmdRun a = ita("analyze " + fixture("seed-2566-indicators.json") + " --json");
  ASSERT_EQ(a.code, 0) << a.err;
  const auto j = nlohmann::json::parse(a.out);
  EXPECT_EQ(j["strengths"], (std::vector<int>{9, 10, 1, 3, 5, 6}));
  EXPECT_EQ(j["weaknesses"], (std::vector<int>{7, 2, 4, 8}));

  const CmdRun w = ita("whatif " + fixture("seed-2566-indicators.json"));
  ASSERT_EQ(w.code, 0) << w.err;
  EXPECT_NE(strip_spaces(w.out).find("ตัวชี้วัดที่8การปรับปรุงการทำงาน:82.73→85.38"), std::string::npos)
      << w.out;

  const CmdRun au = ita("audit " + fixture("seed-2567-claims.json"));
  EXPECT_EQ(au.code, 1) << au.err;  // contradictions found
  EXPECT_NE(au.out.find("83.64"), std::string::npos);
  EXPECT_NE(au.out.find("91.32"), std::string::npos);
  const CmdRun aj = ita("audit " + fixture("seed-2567-claims.json") + " --json");
  EXPECT_EQ(nlohmann::json::parse(aj.out)["contradictions"], 2);
}

TEST(Cli, EditionCommands) {
  const CmdRun l = ita("edition list");
  ASSERT_EQ(l.code, 0);
  for (const char* id : {"2563", "2564", "2565", "2566", "2567", "2568", "2569", "2570"}) {
    EXPECT_NE(l.out.find(id), std::string::npos) << id;
  }
  const CmdRun s = ita("edition show 2566 --json");
  ASSERT_EQ(s.code, 0);
  EXPECT_EQ(nlohmann::json::parse(s.out)["provenance"]["status"], "partial");
  const CmdRun v = ita("edition validate " + testing::edition_path("2564"));
  EXPECT_EQ(v.code, 0) << v.err;
  EXPECT_NE(v.out.find("ok"), std::string::npos);
}

TEST(Cli, EditionShowNamesProvenanceInThai) {
  const CmdRun s = ita("edition show 2566");
  ASSERT_EQ(s.code, 0) << s.err;
  EXPECT_NE(s.out.find("ความน่าเชื่อถือ: ไม่ครบถ้วน"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("(ทางการ)"), std::string::npos) << s.out;  // the 2566 grading table
  EXPECT_EQ(s.out.find("(partial)"), std::string::npos) << s.out;
  EXPECT_EQ(s.out.find("(official)"), std::string::npos) << s.out;
  const CmdRun r = ita("edition show 2565");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("ความน่าเชื่อถือ: สร้างจากแหล่งรอง"), std::string::npos) << r.out;
  const CmdRun j = ita("edition show 2565 --json");
  ASSERT_EQ(j.code, 0) << j.err;
  EXPECT_EQ(nlohmann::json::parse(j.out)["provenance"]["status"], "reconstructed");
}

class CliFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ita-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name) << content;
    return (dir_ / name).string();
  }
  bool only_files(std::initializer_list<std::string> names) {
    std::set<std::string> have, want(names);
    for (const auto& e : fs::directory_iterator(dir_)) have.insert(e.path().filename().string());
    return have == want;
  }
  fs::path dir_;
};

TEST_F(CliFiles, BadInputExitsTwoWithAClearMessageAndNoOutputFile) {
  const std::string out = (dir_ / "out.json").string();
  const auto bad =
      write("bad.json",
            R"({"format":"ita-result-input/1","edition":"2566","indicators":{"1":95,"2":101}})");
  const CmdRun r = ita("score " + bad + " --json --out " + out);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("bad.json: /indicators/2: score must be a number from 0 to 100"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(only_files({"bad.json"}));

  const auto csv = write("a.csv", "tool,respondent,item,answer\nIIT,r1,I1.1,4\nIIT,r1,I1.2\n");
  const CmdRun c = ita("score " + csv + " --edition 2564 --out " + out);
  EXPECT_EQ(c.code, 2);
  EXPECT_NE(c.err.find("a.csv: line 3: expected 4 fields"), std::string::npos) << c.err;
  EXPECT_TRUE(only_files({"bad.json", "a.csv"}));

  const CmdRun u = ita("score " + fixture("seed-2566-indicators.json") + " --edition 2599");
  EXPECT_EQ(u.code, 2);
  EXPECT_NE(u.err.find("unknown edition \"2599\""), std::string::npos) << u.err;

  const CmdRun e = ita("edition validate " + write("e.json", "{\"format\":\"ita-edition/1\"}"));
  EXPECT_EQ(e.code, 2);
  EXPECT_NE(e.err.find("e.json: /id: missing required field"), std::string::npos) << e.err;

  const CmdRun usage = ita("score");
  EXPECT_EQ(usage.code, 2);
}

TEST_F(CliFiles, OutWritesTheFileAtomically) {
  const std::string out = (dir_ / "result.json").string();
  const CmdRun r = ita("score " + fixture("seed-2566-indicators.json") + " --json --out " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  std::ifstream in(out);
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(in)["total"].get<double>(), 91.47);
  EXPECT_TRUE(only_files({"result.json"}));
  const CmdRun unwritable = ita("score " + fixture("seed-2566-indicators.json") + " --out " +
                                (dir_ / "no" / "x.txt").string());
  EXPECT_EQ(unwritable.code, 2);
  EXPECT_NE(unwritable.err.find("cannot write the output file"), std::string::npos)
      << unwritable.err;
}

TEST_F(CliFiles, AuditWithinRoundingExitsZeroOutsideExitsOne) {
  // The stated indicators give 67.5346 (67.53); a table printing 67.54 is rounding, 67.56 is not.
  auto claims = [&](const char* name, const char* total) {
    return write(name, std::string(R"({"format":"ita-published-claims/1","edition":"2566",)") +
                           R"("indicators":{"1":[70.18],"2":[70.18],"3":[70.18],"4":[70.18],)" +
                           R"("5":[70.19],"6":[70],"7":[70],"8":[70],"9":[63.7],"10":[63.7]},)" +
                           R"("tools":{"IIT":[70.19]},"total":[{"value":)" + total +
                           R"(,"where":"ข้อ ๒"}]})");
  };
  const auto near = claims("near.json", "67.54");
  const CmdRun ok = ita("audit " + near);
  EXPECT_EQ(ok.code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("พบข้อขัดแย้ง 0 รายการ"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("สอดคล้อง (ต่างกันจากการปัดเศษ)"), std::string::npos) << ok.out;
  const CmdRun okj = ita("audit " + near + " --json");
  EXPECT_EQ(okj.code, 0) << okj.err;
  const auto j = nlohmann::json::parse(okj.out);
  EXPECT_EQ(j["contradictions"], 0);
  std::set<std::string> kinds;
  for (const auto& f : j["findings"]) kinds.insert(f["kind"].get<std::string>());
  EXPECT_EQ(kinds, (std::set<std::string>{"total_within_rounding", "tool_within_rounding"}));
  EXPECT_NEAR(j["findings"][0]["interval"]["low"].get<double>(), 67.5296, 1e-9);

  const CmdRun bad = ita("audit " + claims("far.json", "67.56"));
  EXPECT_EQ(bad.code, 1) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("พบข้อขัดแย้ง 1 รายการ"), std::string::npos) << bad.out;
}

TEST_F(CliFiles, ScoresFiscalYears2563And2565WithLetterLevels) {
  const std::string seed =
      R"("indicators": {"1": 95.01, "2": 84.45, "3": 88.62, "4": 83.07,)"
      R"( "5": 86.04, "6": 85.07, "7": 84.54, "8": 82.73, "9": 100, "10": 100})";
  const std::string high = R"("indicators": {"1": 96, "2": 96, "3": 96, "4": 96, "5": 96, "6": 96,)"
                           R"( "7": 96, "8": 96, "9": 97.5, "10": 87.5})";
  const auto f63 =
      write("r2563.json", R"({"format": "ita-result-input/1", "edition": "2563", )" + seed + "}");
  const auto f65 =
      write("r2565.json", R"({"format": "ita-result-input/1", "edition": "2565", )" + high + "}");

  const CmdRun a = ita("score " + f63);
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_NE(a.out.find("คะแนนรวม: 91.47  ระดับผลการประเมิน: A\n"), std::string::npos) << a.out;
  EXPECT_NE(a.out.find("พ.ศ. 2563 (สร้างจากแหล่งรอง)"), std::string::npos) << a.out;
  const CmdRun aj = ita("score " + f63 + " --json");
  ASSERT_EQ(aj.code, 0) << aj.err;
  EXPECT_EQ(nlohmann::json::parse(aj.out)["level"]["code"], "A");

  // 0.3 x 96 + 0.3 x 96 + 0.4 x (97.5 + 87.5) / 2 = 94.60: A, not AA.
  const CmdRun b = ita("score " + f65);
  ASSERT_EQ(b.code, 0) << b.err;
  EXPECT_NE(b.out.find("คะแนนรวม: 94.60  ระดับผลการประเมิน: A\n"), std::string::npos) << b.out;
  const auto aa = write("aa2565.json", R"({"format": "ita-result-input/1", "edition": "2565", )"
                                       R"("indicators": {"1": 96, "2": 96, "3": 96, "4": 96, )"
                                       R"("5": 96, "6": 96, "7": 96, "8": 96, "9": 97.5, )"
                                       R"("10": 100}})");
  const CmdRun c = ita("score " + aa);
  ASSERT_EQ(c.code, 0) << c.err;
  EXPECT_NE(c.out.find("ระดับผลการประเมิน: AA\n"), std::string::npos) << c.out;
}

TEST_F(CliFiles, UserEditionFile) {
  std::ifstream in(testing::edition_path("2566"));
  auto j = nlohmann::json::parse(in);
  j["id"] = "2566-local";
  j["analysis"]["strength_min"] = 90;
  const auto ed = write("ed.json", j.dump());
  const CmdRun r =
      ita("analyze " + fixture("seed-2566-indicators.json") + " --edition-file " + ed + " --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["strengths"], (std::vector<int>{9, 10, 1}));
}

TEST_F(CliFiles, RawAnswersCsv) {
  const auto agency = testing::make_agency(testing::edition_path("2564"), 11, 30, 45);
  const auto csv = write("answers.csv", testing::to_csv(agency));
  const CmdRun r = ita("score " + csv + " --edition 2564 --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto expected =
      testing::independent_indicator_scores(testing::edition_path("2564"), agency);
  for (const auto& i : j["indicators"]) {
    EXPECT_NEAR(i["score_exact"].get<double>(), expected.at(i["id"].get<int>()), 1e-9);
  }
  EXPECT_EQ(j["respondents"]["IIT"], 30);
}

}  // namespace
}  // namespace ita

namespace ita {
namespace {

// The bad-input catalogue of the CLI: each row is a malformed file, the command, and the exact
// error line; every one exits 2 and leaves no output file behind.
struct BadFile {
  const char* name;
  const char* file;
  std::string content;
  const char* args;   // {file} and {out} are replaced
  std::string error;  // stderr, exactly; {dir} is the test's folder
};

std::vector<BadFile> cli_catalogue() {
  const std::string in = R"({"format":"ita-result-input/1","edition":"2566","indicators":)";
  const std::string ten =
      R"({"1":95,"2":84,"3":88,"4":83,"5":86,"6":85,"7":84,"8":82,"9":100,"10":100})";
  const std::string csv = "tool,respondent,item,answer\n";
  return {
      {"empty file", "a.json", "", "score {file} --out {out}",
       "ita: error: {dir}/a.json: line 1, column 1: invalid JSON: syntax error while parsing value "
       "- unexpected end of input; expected '[', '{', or a literal\n"},
      {"not JSON", "a.json", "ไม่ใช่ JSON", "score {file} --out {out}",
       "ita: error: {dir}/a.json: line 1, column 1: invalid JSON: syntax error while parsing value "
       "- invalid literal; last read: '\xe0"
       "'\n"},
      {"truncated", "a.json", in + R"({"1":95)", "score {file} --out {out}",
       "ita: error: {dir}/a.json: line 1, column 69: invalid JSON: syntax error while parsing "
       "object - unexpected end of input; expected '}'\n"},
      {"wrong format tag", "a.json",
       R"({"format":"ita-result-input/2","edition":"2566","indicators":{}})",
       "score {file} --out {out}",
       "ita: error: {dir}/a.json: /format: expected \"ita-result-input/1\"\n"},
      {"indicator as Thai digits", "a.json", in + R"({"1":"๙๕"}})", "score {file} --out {out}",
       "ita: error: {dir}/a.json: /indicators/1: expected a number, found string\n"},
      {"score NaN-like", "a.json", in + R"({"1":-0.01}})", "score {file} --out {out}",
       "ita: error: {dir}/a.json: /indicators/1: score must be a number from 0 to 100\n"},
      {"huge number", "a.json", in + R"({"1":1e999}})", "score {file} --out {out}",
       "ita: error: {dir}/a.json: invalid JSON: number overflow parsing '1e999'\n"},
      {"indicator 11", "a.json", in + ten.substr(0, ten.size() - 1) + R"(,"11":50}})",
       "score {file} --out {out}",
       "ita: error: {dir}/a.json: /indicators/11: edition 2566 has no indicator 11\n"},
      {"invalid UTF-8 in the agency", "a.json", in + ten + ",\"agency\":{\"name\":\"\xff\"}}",
       "score {file} --out {out}",
       "ita: error: {dir}/a.json: line 1, column 155: invalid JSON: syntax error while parsing "
       "value - invalid string: ill-formed UTF-8 byte; last read: '\"\xff"
       "'\n"},
      {"CSV without header", "a.csv", "IIT,r1,I1.1,4\n", "score {file} --edition 2564 --out {out}",
       "ita: error: {dir}/a.csv: line 1: expected the header \"tool,respondent,item,answer\"\n"},
      {"CSV with Thai digit answer", "a.csv", csv + "IIT,r1,I1.1,๔\n",
       "score {file} --edition 2564 --out {out}",
       "ita: error: {dir}/a.csv: line 2, field answer: answer '๔' is not in the scale of I1.1; "
       "expected one of 1, 2, 3, 4\n"},
      {"CSV with an unclosed quote", "a.csv", csv + "IIT,\"r1,I1.1,4\n",
       "score {file} --edition 2564 --out {out}",
       "ita: error: {dir}/a.csv: line 2: unterminated quoted field\n"},
      {"CSV answer given twice", "a.csv", csv + "IIT,r1,I1.1,4\nIIT,r1,I1.1,3\n",
       "score {file} --edition 2564 --out {out}",
       "ita: error: {dir}/a.csv: line 3, field item: respondent 'r1' answered I1.1 twice\n"},
      {"CSV OIT verdict unknown", "a.csv", csv + "OIT,,O1,maybe\n",
       "score {file} --edition 2564 --out {out}",
       "ita: error: {dir}/a.csv: line 2, field answer: expected an OIT verdict pass or fail, found "
       "\"maybe\"\n"},
      {"CSV without an edition", "a.csv", csv + "IIT,r1,I1.1,4\n", "score {file} --out {out}",
       "ita: error: {dir}/a.csv: a CSV of raw answers needs --edition (e.g. --edition 2564)\n"},
      {"report of a result missing indicators", "a.json", in + R"({"1":95}})",
       "report {file} --format pdf --out {out}",
       "ita: error: {dir}/a.json: /indicators/2: missing the score of indicator 2 "
       "(การใช้งบประมาณ)\n"},
      {"report with a bad measures file", "a.json", in + ten + "}",
       "report {file} --measures {file} --format html --out {out}",
       "ita: error: {dir}/a.json: /edition: unknown field \"edition\"; expected one of: format, "
       "fiscal_year, notes, improvement_methods, measures, signature\n"},
      {"edition without questions", "e.json", R"({"format":"ita-edition/1","id":"9999"})",
       "edition validate {file}",
       "ita: error: {dir}/e.json: /fiscal_year: missing required field\n"},
  };
}

TEST_F(CliFiles, BadInputCatalogue) {
  const std::string out = (dir_ / "out.file").string();
  for (const auto& row : cli_catalogue()) {
    const std::string file = write(row.file, row.content);
    std::string args = row.args;
    for (auto p = args.find("{file}"); p != std::string::npos; p = args.find("{file}"))
      args.replace(p, 6, file);
    for (auto p = args.find("{out}"); p != std::string::npos; p = args.find("{out}"))
      args.replace(p, 5, out);
    const CmdRun r = ita(args);
    std::string want = row.error;
    for (auto p = want.find("{dir}"); p != std::string::npos; p = want.find("{dir}"))
      want.replace(p, 5, dir_.string());
    EXPECT_EQ(r.code, 2) << row.name << ": " << r.err;
    EXPECT_EQ(r.err, want) << row.name;
    EXPECT_FALSE(fs::exists(out)) << row.name << " left an output file";
    fs::remove(file);
  }
}

}  // namespace
}  // namespace ita

namespace ita {
namespace {

// `ita edition export` and `ita edition import`: a spreadsheet out and back gives the same
// edition; a spreadsheet with problems lists each with its sheet, row and column, exits 2 and
// writes nothing.
class CliEditionSheets : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ita-cli-sheet-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  static std::string read(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  fs::path dir_;
};

TEST_F(CliEditionSheets, ExportThenImportGivesTheSameEdition) {
  for (const char* id : {"2564", "2566", "2568"}) {
    const std::string want = io::edition_to_json(io::EditionSet::builtin().get(id));
    for (const std::string format : {"xlsx", "csv-dir"}) {
      const std::string sheet = path(std::string(id) + (format == "xlsx" ? ".xlsx" : "-csv"));
      const CmdRun x =
          ita("edition export " + std::string(id) + " --format " + format + " --out " + sheet);
      ASSERT_EQ(x.code, 0) << x.err;
      const std::string out = path(std::string(id) + "-" + format + ".json");
      const CmdRun i = ita("edition import " + sheet + " --out " + out);
      ASSERT_EQ(i.code, 0) << i.err;
      EXPECT_NE(i.out.find("ok: edition " + std::string(id)), std::string::npos) << i.out;
      EXPECT_EQ(read(out), want) << id << " " << format;
      const CmdRun v = ita("edition validate " + sheet);
      EXPECT_EQ(v.code, 0) << v.err;
    }
  }
  // ID may be an edition file; import of JSON writes it back the same; no --out: stdout.
  const std::string json = path("2564-xlsx.json");
  const CmdRun x = ita("edition export " + json + " --out " + path("again.xlsx"));
  ASSERT_EQ(x.code, 0) << x.err;
  const CmdRun i = ita("edition import " + path("again.xlsx"));
  ASSERT_EQ(i.code, 0) << i.err;
  EXPECT_EQ(i.out, read(json));
  const CmdRun j = ita("edition import " + json);
  EXPECT_EQ(j.out, read(json));
}

TEST_F(CliEditionSheets, ProblemsAreListedWithSheetRowAndColumnAndNothingIsWritten) {
  ASSERT_EQ(ita("edition export 2566 --format csv-dir --out " + path("e")).code, 0);
  // Three problems: a weight, an unknown indicator on row 3, a scale option without points.
  std::string tools = read(path("e/tools.csv"));
  const auto w = tools.find(",0.4\r\n");
  ASSERT_NE(w, std::string::npos);
  tools.replace(w, 6, ",0.5\r\n");
  std::ofstream(path("e/tools.csv"), std::ios::binary) << tools;
  std::string items = read(path("e/items.csv"));
  std::size_t line3 = items.find("\r\n", items.find("\r\n") + 2) + 2;
  const std::size_t ind = items.find(',', items.find(',', line3) + 1) + 1;
  items.replace(ind, items.find(',', ind) - ind, "42");
  std::ofstream(path("e/items.csv"), std::ios::binary) << items;
  std::string scales = read(path("e/scales.csv"));
  scales.replace(scales.find(",100/3\r\n"), 8, ",\r\n");
  std::ofstream(path("e/scales.csv"), std::ios::binary) << scales;

  const std::string out = path("out.json");
  const CmdRun r = ita("edition import " + path("e") + " --out " + out);
  EXPECT_EQ(r.code, 2) << r.err;
  const std::string f = path("e");
  EXPECT_NE(r.err.find("ita: error: " + f +
                       ": sheet \"tools\", column D (weight): weights must "
                       "sum to 1"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("ita: error: " + f +
                       ": sheet \"items\", row 3, column C (indicator): "
                       "unknown indicator 42"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("ita: error: " + f +
                       ": sheet \"scales\", row 3, column E (points): the "
                       "option has no points"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("3 problems found; nothing was written"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));

  const CmdRun th = ita("edition import " + path("e") + " --thai --out " + out);
  EXPECT_EQ(th.code, 2);
  EXPECT_NE(th.err.find("แผ่นงาน \"scales\" แถวที่ 3 คอลัมน์ E (points): ตัวเลือกนี้ไม่ได้ระบุคะแนน"),
            std::string::npos)
      << th.err;
  EXPECT_FALSE(fs::exists(out));
  const CmdRun v = ita("edition validate " + path("e"));
  EXPECT_EQ(v.code, 2);
  EXPECT_NE(v.err.find("3 problems found\n"), std::string::npos) << v.err;

  // A file named .xlsx that is not a workbook (broken workbooks: tests/io/edition_sheet_test.cpp).
  std::ofstream(path("x.xlsx")) << "not a zip";
  const CmdRun z = ita("edition import " + path("x.xlsx") + " --out " + out);
  EXPECT_EQ(z.code, 2);
  EXPECT_NE(z.err.find("x.xlsx: not an .xlsx workbook"), std::string::npos) << z.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(CliEditionSheets, ExportUsage) {
  const CmdRun unknown = ita("edition export 2599 --out " + path("x.xlsx"));
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("unknown edition \"2599\""), std::string::npos) << unknown.err;
  EXPECT_EQ(ita("edition export 2566 --format pdf --out " + path("x.pdf")).code, 2);
  EXPECT_EQ(ita("edition export 2566").code, 2);  // --out is required
  EXPECT_TRUE(fs::is_empty(dir_));
  const CmdRun file = ita("edition export 2566 --format csv-dir --out " + path("f"));
  ASSERT_EQ(file.code, 0) << file.err;
  std::ofstream(path("plain")) << "x";
  EXPECT_EQ(ita("edition export 2566 --format csv-dir --out " + path("plain")).code, 2);
}

}  // namespace
}  // namespace ita
