// Exports: CSV quoting and options, the results and item_scores tables, XLSX files, atomic
// writes, and the anonymous raw answers re-scoring to the round's result.
#include "report/export.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "../support/filled_round.hpp"
#include "core/analysis.hpp"
#include "core/rounding.hpp"
#include "io/answers_csv.hpp"
#include "io/edition_registry.hpp"
#include "io/json_error.hpp"
#include "service/scoring.hpp"
#include "store/store.hpp"
#include "support.hpp"

namespace ita::report {
namespace {

namespace fs = std::filesystem;
using test::run;

const io::EditionSet& editions() {
  static const io::EditionSet set = io::EditionSet::builtin();
  return set;
}

std::string csv_of(std::initializer_list<std::initializer_list<std::string_view>> rows,
                   CsvOptions o = {}) {
  std::ostringstream out;
  CsvWriter w(out, o);
  for (const auto& r : rows) w.row(r);
  w.flush();
  return out.str();
}

// Splits CSV text into lines, dropping the line ends ("\r\n" or "\n").
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> fields(const std::string& line) {
  auto f = io::split_csv_line(line);
  EXPECT_TRUE(f.has_value()) << line;
  return f.value_or(std::vector<std::string>{});
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// The FY2566 seed: total 91.47, level pass (ผ่าน), indicators 9 and 10 ranked first.
struct Seed {
  store::Agency agency{17, "เทศบาลตำบลแม่สายมิตรภาพ", "แม่สาย", "เชียงราย", "เทศบาลตำบล"};
  store::Round round;
  const Edition& edition = editions().get("2566");
  Result result;
  Seed() {
    round.id = 42;
    round.agency_id = agency.id;
    round.edition_id = "2566";
    ScoreInputs in;
    in.indicators = {{1, 95.01}, {2, 84.45}, {3, 88.62}, {4, 83.07}, {5, 86.04},
                     {6, 85.07}, {7, 84.54}, {8, 82.73}, {9, 100},   {10, 100}};
    in.items = {{"O1", 100}, {"O2", 0}};
    result = score(edition, in);
  }
  RoundRecord record() const {
    return {{agency.id, agency.name, agency.district, agency.province, agency.type},
            round.id,
            round.edition_id,
            edition,
            result};
  }
};

std::vector<int> seed_columns(const Seed& s) {
  const Edition* e[] = {&s.edition};
  return indicator_columns(e);
}

// ---- CSV ----

TEST(ExportCsv, QuotesThaiTextWithCommasQuotesAndNewlines) {
  const std::string text =
      csv_of({{"เทศบาลตำบลแม่สาย, เชียงราย", "คำว่า \"โปร่งใส\"", "บรรทัดหนึ่ง\nบรรทัดสอง", "ธรรมดา", ""},
              {"a\rb", " เว้นวรรค", "91.47", "x,\"y\"", "end"}});
  EXPECT_EQ(
      text,
      "\"เทศบาลตำบลแม่สาย, เชียงราย\",\"คำว่า \"\"โปร่งใส\"\"\",\"บรรทัดหนึ่ง\nบรรทัดสอง\",ธรรมดา,\r\n"
      "\"a\rb\",\" เว้นวรรค\",91.47,\"x,\"\"y\"\"\",end\r\n");
  EXPECT_EQ(csv_field("ผ่าน"), "ผ่าน");
  EXPECT_EQ(csv_field("a\"b"), "\"a\"\"b\"");
  // The project's own reader reads a one-line record back unchanged.
  const auto back =
      io::split_csv_line("\"เทศบาลตำบลแม่สาย, เชียงราย\",\"คำว่า \"\"โปร่งใส\"\"\",ธรรมดา,");
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, (std::vector<std::string>{"เทศบาลตำบลแม่สาย, เชียงราย", "คำว่า \"โปร่งใส\"",
                                             "ธรรมดา", ""}));
}

TEST(ExportCsv, ByteOrderMarkAndLineEnds) {
  const std::string bom = "\xEF\xBB\xBF";
  EXPECT_EQ(csv_of({{"ก", "1"}}, {true, true}), bom + "ก,1\r\n");
  EXPECT_EQ(csv_of({{"ก", "1"}, {"ข", "2"}}, {false, false}), "ก,1\nข,2\n");
  EXPECT_EQ(csv_of({{"ก"}}, {false, true}).substr(0, 3), "ก");  // no BOM unless asked
  EXPECT_EQ(csv_of({}, {true, true}), bom);                     // an empty export still has its BOM
  EXPECT_EQ(csv_of({{""}, {"x"}}, {false, false}),
            "\"\"\nx\n");  // a lone empty field is not a blank line
}

TEST(ExportCsv, FileDescriptorOutputMatchesTheStreamPastTheBuffer) {
  test::TempDir dir;
  std::ostringstream want_out;
  CsvWriter want(want_out, {true, true});
  {
    io::AtomicFile file(dir.file("big.csv"));
    CsvWriter got(file.fd(), {true, true}, file.path());
    for (int i = 0; i < 20000; ++i) {  // ≈ 1 MB, many times the 64 KiB buffer
      const std::string n = std::to_string(i);
      for (CsvWriter* w : {&want, &got}) w->row({"เทศบาลตำบล \"" + n + "\"", n, "a,b"});
    }
    got.flush();
    EXPECT_FALSE(fs::exists(dir.file("big.csv"))) << "visible only once committed";
    file.commit();
    EXPECT_EQ(got.rows(), 20000u);
  }
  want.flush();
  EXPECT_EQ(test::read_text(dir.file("big.csv")), want_out.str());
  EXPECT_EQ(files_in(dir.path()), (std::vector<std::string>{"big.csv"}));
}

// ---- results and item_scores ----

TEST(ExportTables, ResultsRowRoundsForDisplayAndRanks) {
  const Seed s;
  std::ostringstream out;
  CsvWriter w(out, {false, false});
  {
    auto sink = csv_table(w);
    ResultsTable t(*sink, seed_columns(s));
    t.add(s.record());
    t.finish();
    EXPECT_EQ(t.rows(), 1u);
  }
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 2u);
  const auto head = fields(lines[0]);
  const auto row = fields(lines[1]);
  ASSERT_EQ(head.size(), row.size());
  ASSERT_EQ(head.size(), 17u + 20u);
  std::map<std::string, std::string> v;
  for (std::size_t i = 0; i < head.size(); ++i) v[head[i]] = row[i];
  EXPECT_EQ(v["agency_id"], "17");
  EXPECT_EQ(v["agency_name"], "เทศบาลตำบลแม่สายมิตรภาพ");
  EXPECT_EQ(v["district"], "แม่สาย");
  EXPECT_EQ(v["province"], "เชียงราย");
  EXPECT_EQ(v["agency_type"], "เทศบาลตำบล");
  EXPECT_EQ(v["round_id"], "42");
  EXPECT_EQ(v["edition"], "2566");
  EXPECT_EQ(v["fiscal_year"], "2566");
  EXPECT_EQ(v["total"], "91.47");
  EXPECT_EQ(v["iit"], "87.44");
  EXPECT_EQ(v["eit"], "84.11");
  EXPECT_EQ(v["oit"], "100.00");
  EXPECT_EQ(v["level_code"], "pass");
  EXPECT_EQ(v["level_th"], "ผ่าน");
  EXPECT_EQ(v["iit_respondents"], "");  // scored from indicator scores: no respondents
  EXPECT_EQ(v["provisional"], "0");
  EXPECT_EQ(v["i1"], "95.01");
  EXPECT_EQ(v["i9"], "100.00");
  EXPECT_EQ(v["i8"], "82.73");
  for (const auto& ri : rank_indicators(s.result))
    EXPECT_EQ(v["rank_i" + std::to_string(ri.id)], std::to_string(ri.rank));
  EXPECT_EQ(v["rank_i9"], "1");
  EXPECT_EQ(v["rank_i8"], "10");
  EXPECT_FALSE(v.contains("total_exact"));
}

TEST(ExportTables, ExactColumnsAreFullPrecision) {
  const Seed s;
  std::ostringstream out;
  CsvWriter w(out, {false, false});
  auto sink = csv_table(w);
  ResultsTable t(*sink, seed_columns(s), ExportOptions{true});
  t.add(s.record());
  t.finish();
  const auto lines = lines_of(out.str());
  const auto head = fields(lines[0]);
  const auto row = fields(lines[1]);
  std::map<std::string, std::string> v;
  for (std::size_t i = 0; i < head.size(); ++i) v[head[i]] = row[i];
  ASSERT_TRUE(v.contains("total_exact"));
  EXPECT_EQ(std::stod(v["total_exact"]), s.result.total) << "reads back as the same double";
  EXPECT_EQ(std::stod(v["iit_exact"]), s.result.tool_score(ToolId::IIT));
  EXPECT_NE(v["iit_exact"], v["iit"]);  // 87.438 is not 87.44
  EXPECT_EQ(v["i1_exact"], "95.01");
  EXPECT_EQ(head.back(), "i10_exact");
}

TEST(ExportTables, ItemScoresOneRowPerItem) {
  const Seed s;
  std::ostringstream out;
  CsvWriter w(out, {false, false});
  auto sink = csv_table(w);
  ItemScoresTable t(*sink);
  t.add(s.record());
  t.finish();
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 1 + s.result.items.size());
  EXPECT_EQ(lines[0],
            "agency_id,agency_name,province,round_id,edition,tool,indicator,item,score,respondents,"
            "provisional");
  EXPECT_EQ(t.rows(), s.result.items.size());
  bool o2 = false;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto f = fields(lines[i]);
    ASSERT_EQ(f.size(), 11u);
    EXPECT_EQ(f[10], "0") << "a final result";
    EXPECT_EQ(f[1], "เทศบาลตำบลแม่สายมิตรภาพ");
    if (f[7] == "O2") {
      o2 = true;
      EXPECT_EQ(f[5], "OIT");
      EXPECT_EQ(f[8], "0.00");
      EXPECT_EQ(f[9], "");
    }
  }
  EXPECT_TRUE(o2);
}

// An open round's figures are its last release (service/release.hpp): every row says so.
TEST(ExportTables, AProvisionalResultIsMarkedInEveryRow) {
  const Seed s;
  RoundRecord provisional = s.record();
  provisional.provisional = true;
  std::ostringstream results_out, items_out;
  CsvWriter results_csv(results_out, {false, false}), items_csv(items_out, {false, false});
  {
    auto sink = csv_table(results_csv);
    ResultsTable t(*sink, seed_columns(s));
    t.add(provisional);
    t.add(s.record());
    t.finish();
    auto item_sink = csv_table(items_csv);
    ItemScoresTable items(*item_sink);
    items.add(provisional);
    items.finish();
  }
  const auto lines = lines_of(results_out.str());
  ASSERT_EQ(lines.size(), 3u);
  const auto head = fields(lines[0]);
  const auto column = std::find(head.begin(), head.end(), "provisional") - head.begin();
  ASSERT_LT(column, static_cast<std::ptrdiff_t>(head.size()));
  EXPECT_EQ(fields(lines[1])[column], "1");
  EXPECT_EQ(fields(lines[2])[column], "0");
  const auto item_lines = lines_of(items_out.str());
  ASSERT_EQ(item_lines.size(), 1 + s.result.items.size());
  for (std::size_t i = 1; i < item_lines.size(); ++i) EXPECT_EQ(fields(item_lines[i]).back(), "1");
}

TEST(ExportTables, IndicatorColumnsAreTheUnionOfEditions) {
  const auto all = editions().all();
  const auto cols = indicator_columns(all);
  EXPECT_EQ(cols, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

// ---- XLSX ----

// The XML of one member of a zip file (python3's zipfile also checks every CRC).
std::string zip_member(const std::string& zip, const std::string& member) {
  int status = -1;
  const std::string xml =
      run("python3 -c \"import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() "
          "is None; "
          "sys.stdout.write(z.read(sys.argv[2]).decode('utf-8'))\" '" +
              zip + "' '" + member + "'",
          &status);
  EXPECT_EQ(status, 0) << zip << " " << member;
  return xml;
}

// The value of cell `ref` ("B2") in worksheet XML: its <v> number or its inline string.
std::string cell(const std::string& sheet, const std::string& ref) {
  const std::size_t at = sheet.find("<c r=\"" + ref + "\"");
  if (at == std::string::npos) return "(no cell " + ref + ")";
  const std::size_t end = sheet.find("</c>", at);
  const std::string c = sheet.substr(at, end - at);
  for (const auto& [open, close] : {std::pair{"<v>", "</v>"}, std::pair{"<t>", "</t>"}}) {
    const std::size_t a = c.find(open);
    if (a != std::string::npos) return c.substr(a + 3, c.find(close, a) - a - 3);
  }
  return "";
}

TEST(ExportXlsx, ResultsWorkbookHasThaiTextNumbersAndFrozenBoldHeader) {
  if (!test::have_tool("python3")) GTEST_SKIP() << "python3 not installed";
  const Seed s;
  test::TempDir dir;
  const std::string path = dir.file("results.xlsx");
  {
    auto sink = xlsx_table_file(path, "results");
    ResultsTable t(*sink, seed_columns(s), ExportOptions{true});
    t.add(s.record());
    EXPECT_FALSE(fs::exists(path));
    t.finish();
  }
  EXPECT_EQ(files_in(dir.path()), (std::vector<std::string>{"results.xlsx"}))
      << "no temporary files left";
  const std::string workbook = zip_member(path, "xl/workbook.xml");
  EXPECT_NE(workbook.find("name=\"results\""), std::string::npos) << workbook;
  const std::string sheet = zip_member(path, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("เทศบาลตำบลแม่สายมิตรภาพ"), std::string::npos);
  EXPECT_NE(sheet.find("ผ่าน"), std::string::npos);
  EXPECT_NE(sheet.find("คะแนนรวม"), std::string::npos) << "Thai header labels";
  // Row 2: the rounded total, and indicator 1 (column R, after `provisional` in Q), as numbers in
  // the "0.00" style.
  EXPECT_EQ(cell(sheet, "B2"), "เทศบาลตำบลแม่สายมิตรภาพ");
  EXPECT_EQ(cell(sheet, "L2"), "91.47");
  EXPECT_EQ(cell(sheet, "Q2"), "0") << "provisional: no";
  EXPECT_NEAR(std::stod(cell(sheet, "R2")), 95.01, 1e-12);  // libxlsxwriter prints %.16g
  EXPECT_NEAR(std::stod(cell(sheet, "AO2")), s.result.total, 1e-12) << "total_exact";
  EXPECT_EQ(cell(sheet, "AJ2"), "1") << "rank of indicator 9";
  EXPECT_NE(sheet.find("<c r=\"L2\" s=\""), std::string::npos);
  EXPECT_NE(sheet.find("ySplit=\"1\""), std::string::npos) << "frozen header row";
  EXPECT_NE(sheet.find("inlineStr"), std::string::npos)
      << "constant_memory mode writes inline strings";
  const std::string styles = zip_member(path, "xl/styles.xml");
  EXPECT_NE(styles.find("formatCode=\"0.00\""), std::string::npos);
  EXPECT_NE(styles.find("<b/>"), std::string::npos);
}

TEST(ExportXlsx, ItemScoresWorkbook) {
  if (!test::have_tool("python3")) GTEST_SKIP() << "python3 not installed";
  const Seed s;
  test::TempDir dir;
  const std::string path = dir.file("items.xlsx");
  auto sink = xlsx_table_file(path, "item_scores");
  ItemScoresTable t(*sink);
  t.add(s.record());
  t.finish();
  const std::string sheet = zip_member(path, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("เทศบาลตำบลแม่สายมิตรภาพ"), std::string::npos);
  EXPECT_NE(sheet.find("<is><t>O2</t></is>"), std::string::npos) << sheet.substr(0, 2000);
  std::size_t rows = 0;
  for (std::size_t p = sheet.find("<row "); p != std::string::npos; p = sheet.find("<row ", p + 1))
    ++rows;
  EXPECT_EQ(rows, 1 + s.result.items.size());
}

TEST(ExportXlsx, RowsPastTheSheetLimitContinueOnANewSheet) {
  if (!test::have_tool("python3")) GTEST_SKIP() << "python3 not installed";
  const Seed s;  // two items: O1, O2
  test::TempDir dir;
  const std::string path = dir.file("items.xlsx");
  auto sink = xlsx_table_file(path, "item_scores", 3);  // the header and two rows per sheet
  ItemScoresTable t(*sink);
  for (int i = 0; i < 3; ++i) t.add(s.record());  // six rows: three sheets
  t.finish();
  const std::string workbook = zip_member(path, "xl/workbook.xml");
  for (const char* name :
       {"name=\"item_scores\"", "name=\"item_scores_2\"", "name=\"item_scores_3\""}) {
    EXPECT_NE(workbook.find(name), std::string::npos) << name << " in " << workbook;
  }
  EXPECT_EQ(workbook.find("item_scores_4"), std::string::npos);
  const std::string third = zip_member(path, "xl/worksheets/sheet3.xml");
  EXPECT_EQ(cell(third, "A1"), "รหัสหน่วยงาน") << "the header is repeated";
  EXPECT_EQ(cell(third, "H2"), "O1");
  EXPECT_EQ(cell(third, "H3"), "O2");
  EXPECT_NE(third.find("ySplit=\"1\""), std::string::npos);
}

// ---- atomic files ----

TEST(ExportFiles, UnwritablePathLeavesNothing) {
  test::TempDir dir;
  const std::string missing_dir = dir.file("no-such-folder/results.csv");
  EXPECT_THROW(csv_table_file(missing_dir, {}), io::FileError);
  EXPECT_THROW(xlsx_table_file(dir.file("no-such-folder/results.xlsx"), "results"), io::FileError);
  EXPECT_THROW(csv_table_file(dir.path().string(), {}), io::FileError) << "a folder is not a file";
  EXPECT_TRUE(files_in(dir.path()).empty());
}

TEST(ExportFiles, AnAbandonedExportLeavesNoPartialFileAndKeepsTheOldOne) {
  const Seed s;
  test::TempDir dir;
  test::write_text(dir.file("results.csv"), "old\n");
  test::write_text(dir.file("results.xlsx"), "old\n");
  {
    auto csv = csv_table_file(dir.file("results.csv"), {});
    ResultsTable t(*csv, seed_columns(s));
    t.add(s.record());
    auto xlsx = xlsx_table_file(dir.file("results.xlsx"), "results");
    ResultsTable tx(*xlsx, seed_columns(s));
    tx.add(s.record());
    // Dropped without finish(), as when an error unwinds the export.
  }
  EXPECT_EQ(files_in(dir.path()), (std::vector<std::string>{"results.csv", "results.xlsx"}));
  EXPECT_EQ(test::read_text(dir.file("results.csv")), "old\n");
  EXPECT_EQ(test::read_text(dir.file("results.xlsx")), "old\n");
}

TEST(ExportFiles, CommitReplacesTheTarget) {
  test::TempDir dir;
  test::write_text(dir.file("a.csv"), "old\n");
  {
    io::AtomicFile f(dir.file("a.csv"));
    CsvWriter w(f.fd(), {false, false}, f.path());
    w.row({"new"});
    w.flush();
    f.commit();
  }
  EXPECT_EQ(test::read_text(dir.file("a.csv")), "new\n");
  EXPECT_EQ(fs::status(dir.file("a.csv")).permissions() & fs::perms::others_read,
            fs::perms::others_read);
}

// ---- anonymous raw answers ----

class ExportAnswers : public ::testing::Test {
 protected:
  void SetUp() override { store_ = store::open_store("sqlite:" + dir_.file("ita.sqlite")); }
  // Round `round_id`'s answers and effective OIT verdicts from the store, as web and cli give them.
  AnswersExport write(std::int64_t round_id, const Edition& e, CsvWriter& w) {
    const AnswerSource answers = [&](const std::function<void(const AnswerRecord&)>& emit) {
      store_->for_each_answer(round_id, [&](const store::AnswerRow& a) {
        emit({a.tool, a.response_id, a.unit, a.option});
      });
    };
    return write_answers_csv(round_id, answers, service::oit_verdicts(*store_, round_id), e, w);
  }
  test::TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(ExportAnswers, ReScoreToTheRoundsResultWithoutStoredIds) {
  const Edition& e = editions().get("2564");
  const auto filled = testing::fill_round(
      *store_, e, {0, "เทศบาลตำบลทดสอบ, \"ส่งออก\"", "แม่สาย", "เชียงราย", "เทศบาลตำบล"}, 9, 13, 7);
  std::ostringstream out;
  CsvWriter w(out, {true, true});
  const AnswersExport written = write(filled.round.id, e, w);
  w.flush();
  EXPECT_EQ(written.iit_respondents, 9u);
  EXPECT_EQ(written.eit_respondents, 13u);
  EXPECT_EQ(written.oit_verdicts, e.oit.items.size());
  const std::string csv = out.str();
  ASSERT_TRUE(csv.starts_with("\xEF\xBB\xBFtool,respondent,item,answer\r\n"));
  EXPECT_NE(csv.find("\r\nOIT,,O1,"), std::string::npos);

  // The stored random ids never appear; respondents are 1..n per tool.
  std::set<std::string> stored_ids;
  store_->for_each_answer(filled.round.id,
                          [&](const store::AnswerRow& row) { stored_ids.insert(row.response_id); });
  EXPECT_EQ(stored_ids.size(), 22u);
  for (const auto& id : stored_ids) EXPECT_EQ(csv.find(id), std::string::npos) << id;
  std::map<std::string, std::set<std::string>> respondents;
  for (const auto& line : lines_of(csv)) {
    const auto f = fields(line);
    if (f.size() == 4 && (f[0] == "IIT" || f[0] == "EIT")) respondents[f[0]].insert(f[1]);
  }
  EXPECT_EQ(respondents["IIT"].size(), 9u);
  EXPECT_TRUE(respondents["IIT"].contains("1") && respondents["IIT"].contains("9"));
  EXPECT_TRUE(respondents["EIT"].contains("13"));

  // Read back by the `ita score FILE.csv` reader: the same result.
  std::istringstream in(csv);
  AnswerTally tally(e);
  io::read_answers_csv(in, "answers.csv", tally);
  const Result again = score(e, tally);
  EXPECT_EQ(round2(again.total), round2(filled.expected.total));
  EXPECT_NEAR(again.total, filled.expected.total, 1e-9);
  EXPECT_EQ(again.level.code, filled.expected.level.code);
  ASSERT_EQ(again.indicators.size(), filled.expected.indicators.size());
  for (std::size_t i = 0; i < again.indicators.size(); ++i) {
    EXPECT_NEAR(again.indicators[i].score, filled.expected.indicators[i].score, 1e-9);
  }
  EXPECT_EQ(again.respondents, filled.expected.respondents);
}

TEST_F(ExportAnswers, OnlyEffectiveVerdictsAreWritten) {
  const Edition& e = editions().get("2564");
  const auto filled = testing::fill_round(*store_, e, {0, "อบต.ทดสอบ", "", "", ""}, 1, 1, 3);
  // A second round with one OIT item only submitted (not judged) and one judged.
  store::Round r = filled.round;
  r.id = 0;
  r.iit_token += "-2";
  r.eit_token += "-2";
  const auto second = store_->create_round(r, 1);
  store_->put_oit_evidence(second.id, "O1", "https://x.example/o1", "", 1);
  store_->put_oit_evidence(second.id, "O2", "https://x.example/o2", "", 1);
  store_->review_oit(second.id, "O2", false, "ไม่พบ", 1);
  std::ostringstream out;
  CsvWriter w(out, {false, false});
  const AnswersExport written = write(second.id, e, w);
  w.flush();
  EXPECT_EQ(out.str(), "tool,respondent,item,answer\nOIT,,O2,fail\n");
  EXPECT_EQ(written.answers, 0u);
  EXPECT_EQ(written.oit_verdicts, 1u);
}

}  // namespace
}  // namespace ita::report
