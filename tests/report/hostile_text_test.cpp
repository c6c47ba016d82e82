// Hostile stored text in what the system writes from it: CSV cells that start like a formula are
// neutralised (numbers are not), XLSX keeps them as string cells, and every XML part of a DOCX or
// XLSX written from text with control characters, noncharacters or bytes that are not UTF-8 is
// still well-formed (parsed by a real XML parser, python3's xml.dom.minidom).
#include <gtest/gtest.h>

#include <sstream>

#include "../support/zip_xml.hpp"
#include "core/analysis.hpp"
#include "core/tracker.hpp"
#include "io/edition_registry.hpp"
#include "report/document.hpp"
#include "report/export.hpp"
#include "report/progress_report.hpp"
#include "report/render.hpp"
#include "support.hpp"

namespace ita::report {
namespace {

namespace chr = std::chrono;
using test::run;

// What a text field could hold before the text rules, and what older databases may still hold:
// BEL, ESC, NUL, U+FFFE, U+FFFF, a byte that is not UTF-8, a UTF-8-encoded lone surrogate.
const std::string kHostile = std::string("ก\x07ข\x1b[0m") + '\0' +
                             "ค\xEF\xBF\xBEง\xEF\xBF\xBF"
                             "จ\xFF"
                             "ฉ\xED\xA0\x80"
                             "ช";

std::string zip_member(const std::string& path, const std::string& member) {
  return run("unzip -p '" + path + "' '" + member + "'");
}

const io::EditionSet& editions() {
  static const io::EditionSet set = io::EditionSet::builtin();
  return set;
}

Result seed_result(const Edition& e) {
  ScoreInputs in;
  in.indicators = {{1, 95.01}, {2, 84.45}, {3, 88.62}, {4, 83.07}, {5, 86.04},
                   {6, 85.07}, {7, 84.54}, {8, 82.73}, {9, 100},   {10, 100}};
  in.items = {{"O1", 100}, {"O2", 0}};
  return score(e, in);
}

std::vector<std::string> csv_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

// The results table of one round of an agency with these texts, as CSV.
std::string results_csv(const AgencyRecord& agency, CsvOptions options) {
  const Edition& e = editions().get("2566");
  const Result result = seed_result(e);
  std::ostringstream out;
  CsvWriter writer(out, options);
  auto sink = csv_table(writer);
  const Edition* es[] = {&e};
  ResultsTable table(*sink, indicator_columns(es));
  table.add({agency, 42, "2566", e, result});
  table.finish();
  return out.str();
}

TEST(HostileText, CsvTextCellsThatStartLikeAFormulaGetAnApostrophe) {
  const std::string csv = results_csv(
      {17, "=HYPERLINK(\"https://evil.example\",\"คลิก\")", "+66-1", "-น่าน", "@SUM(A1)"}, {});
  const auto lines = csv_lines(csv);
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_TRUE(
      lines[1].starts_with("17,\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"คลิก\"\")\","
                           "'+66-1,'-น่าน,'@SUM(A1),42,2566,2566,"))
      << lines[1];
  EXPECT_NE(lines[1].find(",91.47,"), std::string::npos) << "numbers are numbers";
  for (const char* start : {"\t=1+1", "\r=1+1"}) {
    const std::string one = results_csv({17, start, "", "", ""}, {});
    EXPECT_NE(one.find("\n17," + csv_field(std::string("'") + start) + ","), std::string::npos)
        << one;
  }
  const std::string plain = results_csv({17, "เทศบาล = 1", "a-b", "", "x@y"}, {});
  EXPECT_NE(plain.find("\n17,เทศบาล = 1,a-b,,x@y,42,"), std::string::npos)
      << "only the first character counts";
}

TEST(HostileText, RawCsvKeepsTextAsStored) {
  CsvOptions raw;
  raw.raw_text = true;
  const std::string csv = results_csv({17, "=1+1", "+1", "-1", "@x"}, raw);
  EXPECT_NE(csv.find("\n17,=1+1,+1,-1,@x,42,"), std::string::npos) << csv;
}

TEST(HostileText, NegativeNumbersAreWrittenAsNumbers) {
  std::ostringstream out;
  CsvWriter writer(out, {});
  auto sink = csv_table(writer);
  sink->columns({{"a", "a"}, {"b", "b"}, {"c", "c"}, {"d", "d"}});
  const TableCell cells[] = {TableCell::of_integer(-3), TableCell::of_score(-1.5),
                             TableCell::of_exact(-0.25), TableCell::of_text("-3")};
  sink->row(cells);
  sink->finish();
  EXPECT_EQ(out.str(), "a,b,c,d\r\n-3,-1.50,-0.25,'-3\r\n");
  EXPECT_EQ(neutralise_formula("-3"), "'-3");
  EXPECT_EQ(neutralise_formula("ก-3"), "ก-3");
  EXPECT_EQ(neutralise_formula(""), "");
}

TEST(HostileText, XlsxTextIsAStringCellNeverAFormulaAndStaysWellFormed) {
  if (!test::have_tool("python3") || !test::have_tool("unzip")) GTEST_SKIP() << "no python3/unzip";
  const Edition& e = editions().get("2566");
  const Result result = seed_result(e);
  test::TempDir dir;
  const std::string path = dir.file("results.xlsx");
  {
    auto sink = xlsx_table_file(path, "results");
    const Edition* es[] = {&e};
    ResultsTable table(*sink, indicator_columns(es));
    table.add({{17, "=HYPERLINK(\"https://evil.example\")", kHostile, "-น่าน", "@x"},
               42,
               "2566",
               e,
               result});
    table.finish();
  }
  EXPECT_EQ(testing::xml_problems_in_zip(path), "");
  const std::string sheet = zip_member(path, "xl/worksheets/sheet1.xml");
  EXPECT_EQ(sheet.find("<f>"), std::string::npos) << "no formula cell";
  EXPECT_NE(sheet.find("t=\"inlineStr\"><is><t>=HYPERLINK("), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<t>กข[0mคงจฉช</t>"), std::string::npos) << "dropped, not escaped";
}

// The 6-month and year-end reports of a plan whose texts came in hostile.
ProgressSummary hostile_summary(const Period& period) {
  MeasuresPlan plan;
  plan.fiscal_year = FiscalYear{2568};
  Measure m;
  m.id = "m1";
  m.title_th = "มาตรการ" + kHostile;
  m.responsible_th = kHostile;
  m.due = chr::year_month_day{chr::year{2025}, chr::month{3}, chr::day{31}};
  plan.measures = {m};
  const std::vector<ProgressReport> reports = {
      {"m1", chr::year_month_day{chr::year{2025}, chr::month{1}, chr::day{5}},
       "ผลการดำเนินการ\x07" + kHostile, "https://a.example/" + kHostile, MeasureStatus::Done}};
  return summarise_progress(plan, reports, period,
                            chr::year_month_day{chr::year{2026}, chr::month{1}, chr::day{1}});
}

const io::AgencyInfo kHostileAgency{"เทศบาล" + kHostile, kHostile, "น่าน", kHostile};

TEST(HostileText, ProgressReportDocxIsWellFormedXml) {
  if (!test::have_tool("python3") || !test::have_tool("unzip")) GTEST_SKIP() << "no python3/unzip";
  test::TempDir dir;
  for (const Period& period :
       {first_half_period(FiscalYear{2568}), year_period(FiscalYear{2568})}) {
    const ProgressSummary summary = hostile_summary(period);
    const std::string docx = render_docx(
        build_progress_document(kHostileAgency, summary, DocumentOptions{}), RenderOptions{});
    test::write_text(dir.file("r.docx"), docx);
    EXPECT_EQ(testing::xml_problems_in_zip(dir.file("r.docx")), "");
    const std::string xml = zip_member(dir.file("r.docx"), "word/document.xml");
    EXPECT_NE(xml.find("กข[0mคงจฉช"), std::string::npos) << "the text is kept, less the controls";
  }
}

TEST(HostileText, MeasuresDocumentDocxAndHtmlHoldNothingXmlForbids) {
  if (!test::have_tool("python3") || !test::have_tool("unzip")) GTEST_SKIP() << "no python3/unzip";
  const Edition& e = editions().get("2566");
  const Result result = seed_result(e);
  const Analysis analysis = analyze(e, result);
  MeasuresPlan plan;
  plan.fiscal_year = FiscalYear{2567};
  plan.methods = {{2, std::nullopt, "แนวทาง" + kHostile}};
  Measure m;
  m.id = "m1";
  m.title_th = kHostile;
  m.steps_th = {kHostile};
  m.responsible_th = kHostile;
  m.monitoring_th = kHostile;
  plan.measures = {m};
  const Document doc = build_document({e, kHostileAgency, result, analysis, plan}, {});
  test::TempDir dir;
  test::write_text(dir.file("m.docx"), render_docx(doc, RenderOptions{}));
  EXPECT_EQ(testing::xml_problems_in_zip(dir.file("m.docx")), "");
  const std::string html = render_html(doc, RenderOptions{});
  for (const std::string& bad :
       {std::string("\x07"), std::string("\x1b"), std::string(1, '\0'), std::string("\xEF\xBF\xBF"),
        std::string("\xEF\xBF\xBE"), std::string("\xFF"), std::string("\xED\xA0\x80")}) {
    EXPECT_EQ(html.find(bad), std::string::npos) << "HTML holds a forbidden character";
  }
  EXPECT_NE(html.find("กข[0mคงจฉช"), std::string::npos);
  EXPECT_EQ(render_pdf(doc, RenderOptions{}).substr(0, 5), "%PDF-");
}

}  // namespace
}  // namespace ita::report
