// `ita export` on a SQLite database built through the store: the tables, the raw answers
// re-scoring through `ita score`, --all-rounds, and errors that leave no file behind.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/rounding.hpp"
#include "io/answers_csv.hpp"
#include "io/edition_registry.hpp"
#include "service/calendar.hpp"
#include "service/rounds.hpp"
#include "store/store.hpp"
#include "support/filled_round.hpp"
#include "support/run_ita.hpp"

namespace ita {
namespace {

namespace fs = std::filesystem;

using testing::CmdRun;

CmdRun ita(const std::string& args) {
  return testing::run_ita(args);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (auto f = io::split_csv_line(line)) rows.push_back(*f);
  }
  return rows;
}

std::map<std::string, std::string> record(const std::vector<std::vector<std::string>>& rows,
                                          std::size_t i) {
  std::map<std::string, std::string> out;
  for (std::size_t c = 0; c < rows.at(0).size(); ++c) out[rows[0][c]] = rows.at(i).at(c);
  return out;
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Two agencies with a complete 2564 round each, and a third round with no OIT verdicts yet.
class ExportCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ita-export-cli-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "out");
    db_ = (dir_ / "ita.sqlite").string();
    auto store = store::open_store(db_);
    const Edition& e = editions_.get("2564");
    first_ = testing::fill_round(
        *store, e, {0, "เทศบาลตำบลแม่สาย, \"ส่งออก\"", "แม่สาย", "เชียงราย", "เทศบาลตำบล"}, 6, 9, 11);
    second_ = testing::fill_round(
        *store, e, {0, "องค์การบริหารส่วนตำบลบ้านใหม่", "เมือง", "เชียงใหม่", "อบต."}, 4, 5, 12);
    store::Round pending = second_.round;
    pending.id = 0;
    pending.iit_token += "-pending";
    pending.eit_token += "-pending";
    pending_ = store->create_round(pending, 1).id;
    // Raw answers are exported once a round is closed (service/release.hpp); the open round's
    // case is AnOpenRoundsAnswersWaitAndItsFiguresAreProvisional.
    for (const std::int64_t id : {first_.round.id, second_.round.id, pending_})
      service::close_round(*store, id, std::nullopt, service::thai_today());
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string out(const std::string& name) const { return (dir_ / "out" / name).string(); }
  std::string base() const { return "export --db " + db_ + " "; }

  io::EditionSet editions_ = io::EditionSet::builtin();
  fs::path dir_;
  std::string db_;
  testing::FilledRound first_, second_;
  std::int64_t pending_ = 0;
};

TEST_F(ExportCli, ResultsOfOneRound) {
  const auto r = ita(base() + "--round " + std::to_string(first_.round.id) +
                     " --table results --format csv --out " + out("r.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("1 rows from 1 round"), std::string::npos) << r.out;
  const std::string text = slurp(out("r.csv"));
  EXPECT_TRUE(text.starts_with("agency_id,agency_name,")) << "no BOM unless --bom";
  EXPECT_NE(text.find("\"เทศบาลตำบลแม่สาย, \"\"ส่งออก\"\"\""), std::string::npos) << text;
  EXPECT_NE(text.find("\r\n"), std::string::npos);
  const auto rows = parse_csv(text);
  ASSERT_EQ(rows.size(), 2u);
  auto row = record(rows, 1);
  EXPECT_EQ(row["agency_name"], first_.agency.name);
  EXPECT_EQ(row["total"], format2(round2(first_.expected.total)));
  EXPECT_EQ(row["level_code"], first_.expected.level.code);
  EXPECT_EQ(row["iit_respondents"], "6");
  EXPECT_EQ(row["i1"], format2(round2(first_.expected.indicator(1)->score)));

  const auto exact = ita(base() + "--round " + std::to_string(first_.round.id) +
                         " --exact --bom --lf --out " + out("e.csv"));
  ASSERT_EQ(exact.code, 0) << exact.err;
  const std::string etext = slurp(out("e.csv"));
  EXPECT_TRUE(etext.starts_with("\xEF\xBB\xBF"));
  EXPECT_EQ(etext.find('\r'), std::string::npos);
  EXPECT_EQ(std::stod(record(parse_csv(etext), 1)["total_exact"]), first_.expected.total);

  // To standard output.
  const auto piped = ita(base() + "--round " + std::to_string(first_.round.id) + " --out -");
  ASSERT_EQ(piped.code, 0) << piped.err;
  EXPECT_EQ(piped.out, text);
}

TEST_F(ExportCli, ItemScoresAndXlsx) {
  const auto r = ita(base() + "--round " + std::to_string(second_.round.id) +
                     " --table items --out " + out("i.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto rows = parse_csv(slurp(out("i.csv")));
  ASSERT_EQ(rows.size(), 1 + second_.expected.items.size());
  for (std::size_t i = 0; i < second_.expected.items.size(); ++i) {
    auto row = record(rows, i + 1);
    EXPECT_EQ(row["item"], second_.expected.items[i].code);
    EXPECT_EQ(row["score"], format2(round2(second_.expected.items[i].score)));
  }
  const auto x = ita(base() + "--round " + std::to_string(second_.round.id) +
                     " --table items --format xlsx --out " + out("i.xlsx"));
  ASSERT_EQ(x.code, 0) << x.err;
  EXPECT_TRUE(slurp(out("i.xlsx")).starts_with("PK\x03\x04"));
  EXPECT_EQ(files_in(dir_ / "out"), (std::vector<std::string>{"i.csv", "i.xlsx"}));
}

TEST_F(ExportCli, AnswersReScoreToTheRoundsResult) {
  const auto r = ita(base() + "--round " + std::to_string(first_.round.id) +
                     " --table answers --out " + out("a.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("of 6 IIT and 9 EIT respondents"), std::string::npos) << r.out;
  const auto s = ita("score " + out("a.csv") + " --edition 2564 --json");
  ASSERT_EQ(s.code, 0) << s.err;
  const auto j = nlohmann::json::parse(s.out);
  EXPECT_NEAR(j["total_exact"].get<double>(), first_.expected.total, 1e-9);
  EXPECT_EQ(j["level"]["code"], first_.expected.level.code);
  EXPECT_EQ(j["respondents"]["IIT"], 6);
  EXPECT_EQ(j["respondents"]["EIT"], 9);
  // The pending round has answers but no verdicts: its answers still export, without OIT rows.
  const auto p = ita(base() + "--round " + std::to_string(pending_) + " --table answers --out -");
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(p.out, "tool,respondent,item,answer\r\n");
}

// An open round: its raw answers are refused (exit 2, nothing written), its results and items
// are its last release, marked provisional.
TEST_F(ExportCli, AnOpenRoundsAnswersWaitAndItsFiguresAreProvisional) {
  {
    auto store = store::open_store(db_);
    service::reopen_round(*store, first_.round.id, std::nullopt, service::thai_today());
  }
  const std::string round = std::to_string(first_.round.id);
  const auto answers = ita(base() + "--round " + round + " --table answers --out " + out("a.csv"));
  EXPECT_EQ(answers.code, 2);
  EXPECT_NE(answers.err.find("round " + round + " is open"), std::string::npos) << answers.err;
  EXPECT_NE(answers.err.find("ดาวน์โหลดคำตอบรายบุคคลได้เมื่อปิดรอบการประเมินแล้ว"), std::string::npos);
  EXPECT_TRUE(files_in(dir_ / "out").empty());
  const auto results = ita(base() + "--round " + round + " --out -");
  ASSERT_EQ(results.code, 0) << results.err;
  auto row = record(parse_csv(results.out), 1);
  EXPECT_EQ(row["provisional"], "1");
  EXPECT_EQ(row["total"], format2(round2(first_.expected.total)))
      << "the first release covers all 6 and 9 respondents";
  EXPECT_EQ(row["iit_respondents"], "6");
  const auto closed = ita(base() + "--round " + std::to_string(second_.round.id) + " --out -");
  ASSERT_EQ(closed.code, 0) << closed.err;
  EXPECT_EQ(record(parse_csv(closed.out), 1)["provisional"], "0");
}

TEST_F(ExportCli, AllRoundsStreamsEveryComputableRound) {
  const auto r = ita(base() + "--all-rounds --table results --out " + out("all.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("2 rows from 2 rounds (1 skipped"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("round " + std::to_string(pending_)), std::string::npos) << r.err;
  const auto rows = parse_csv(slurp(out("all.csv")));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(record(rows, 1)["agency_name"], first_.agency.name);
  EXPECT_EQ(record(rows, 2)["agency_name"], second_.agency.name);
  EXPECT_EQ(record(rows, 2)["total"], format2(round2(second_.expected.total)));

  const auto items =
      ita(base() + "--all-rounds --table items --format xlsx --out " + out("all-items.xlsx"));
  ASSERT_EQ(items.code, 0) << items.err;
  EXPECT_NE(
      items.out.find(std::to_string(first_.expected.items.size() + second_.expected.items.size()) +
                     " rows"),
      std::string::npos);
  const auto one = ita(base() + "--agency " + std::to_string(second_.agency.id) + " --out -");
  ASSERT_EQ(one.code, 0) << one.err;
  EXPECT_EQ(parse_csv(one.out).size(), 2u);
}

TEST_F(ExportCli, ErrorsExitTwoAndLeaveNoFile) {
  const auto unknown = ita(base() + "--round 999 --out " + out("x.csv"));
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("no round with id 999"), std::string::npos) << unknown.err;
  const auto unwritable = ita(base() + "--round " + std::to_string(first_.round.id) + " --out " +
                              (dir_ / "no-such-folder" / "x.csv").string());
  EXPECT_EQ(unwritable.code, 2);
  EXPECT_NE(unwritable.err.find("no-such-folder"), std::string::npos) << unwritable.err;
  const auto unwritable_xlsx =
      ita(base() + "--round " + std::to_string(first_.round.id) + " --format xlsx --out " +
          (dir_ / "no-such-folder" / "x.xlsx").string());
  EXPECT_EQ(unwritable_xlsx.code, 2);
  // A round whose result cannot be computed yet: exit 2 with the reasons, the old file intact.
  { std::ofstream(out("keep.csv")) << "old\n"; }
  const auto pending =
      ita(base() + "--round " + std::to_string(pending_) + " --out " + out("keep.csv"));
  EXPECT_EQ(pending.code, 2);
  EXPECT_NE(pending.err.find("cannot be computed yet"), std::string::npos) << pending.err;
  EXPECT_NE(pending.err.find("O1"), std::string::npos) << pending.err;
  EXPECT_EQ(slurp(out("keep.csv")), "old\n");
  EXPECT_EQ(ita(base() + "--all-rounds --table answers --out " + out("x.csv")).code, 2);
  EXPECT_EQ(ita(base() + "--round " + std::to_string(first_.round.id) +
                " --table answers --format xlsx --out " + out("x.xlsx"))
                .code,
            2);
  EXPECT_EQ(ita(base() + "--out " + out("x.csv")).code, 2);
  EXPECT_EQ(ita(base() + "--round 1 --agency 1 --out " + out("x.csv")).code, 2);
  const auto no_db =
      ita("export --db " + (dir_ / "missing.sqlite").string() + " --round 1 --out " + out("x.csv"));
  EXPECT_EQ(no_db.code, 2);
  EXPECT_FALSE(fs::exists(dir_ / "missing.sqlite"));
  EXPECT_EQ(files_in(dir_ / "out"), (std::vector<std::string>{"keep.csv"}));
}

// An agency stored before the text rules with names a spreadsheet program would run as formulas:
// the CSV shows them as text (an apostrophe in front) unless --raw; numbers stay numbers.
TEST_F(ExportCli, TextThatStartsLikeAFormulaIsNeutralisedUnlessRaw) {
  testing::FilledRound hostile;
  {
    auto store = store::open_store(db_);
    hostile = testing::fill_round(
        *store, editions_.get("2564"),
        {0, "=HYPERLINK(\"https://evil.example\",\"คลิก\")", "+66 1", "-", "@SUM(A1)"}, 3, 4, 13);
    // Closed: 3 and 4 respondents release no figures while open (service/release.hpp).
    service::close_round(*store, hostile.round.id, std::nullopt, service::thai_today());
  }
  const std::string round = std::to_string(hostile.round.id);
  ASSERT_EQ(ita(base() + "--round " + round + " --out " + out("safe.csv")).code, 0);
  const auto safe = record(parse_csv(slurp(out("safe.csv"))), 1);
  EXPECT_EQ(safe.at("agency_name"), "'=HYPERLINK(\"https://evil.example\",\"คลิก\")");
  EXPECT_EQ(safe.at("district"), "'+66 1");
  EXPECT_EQ(safe.at("province"), "'-");
  EXPECT_EQ(safe.at("agency_type"), "'@SUM(A1)");
  EXPECT_EQ(safe.at("total"), format2(round2(hostile.expected.total)));
  EXPECT_EQ(safe.at("agency_id"), std::to_string(hostile.agency.id));

  const auto raw = ita(base() + "--round " + round + " --raw --out " + out("raw.csv"));
  ASSERT_EQ(raw.code, 0) << raw.err;
  const auto as_stored = record(parse_csv(slurp(out("raw.csv"))), 1);
  EXPECT_EQ(as_stored.at("agency_name"), hostile.agency.name);
  EXPECT_EQ(as_stored.at("agency_type"), "@SUM(A1)");
}

}  // namespace
}  // namespace ita
