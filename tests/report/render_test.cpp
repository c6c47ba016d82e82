// write_report end to end: PDF (text, fonts, golden image), HTML, DOCX, and bad inputs.
#include <cairo.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "io/json_error.hpp"
#include "report/report.hpp"
#include "support.hpp"

namespace ita::report {
namespace {

namespace fs = std::filesystem;
using test::run;
using test::squeeze;

constexpr const char* kCreated = "2024-07-01T00:00:00Z";

ReportRequest seed_request(const std::string& out, Format format = Format::Pdf) {
  ReportRequest r;
  r.input = test::source("tests/fixtures/seed-2566-indicators.json");
  r.format = format;
  r.out = out;
  r.thai_digits = true;
  r.creation_date = kCreated;
  return r;
}

// pdftotext -raw of the whole PDF with whitespace, page numbers ("-๒-") and the repeated
// header rows of split tables removed.
std::string pdf_text(const std::string& pdf) {
  std::string text = squeeze(run("pdftotext -raw '" + pdf + "' -"));
  return std::regex_replace(text, std::regex("-[๐-๙]+-"), "");
}

std::string without_repeats(std::string text, const std::string& header) {
  const std::size_t first = text.find(header);
  if (first == std::string::npos) return text;
  for (std::size_t p = text.find(header, first + 1); p != std::string::npos;
       p = text.find(header, p)) {
    text.erase(p, header.size());
  }
  return text;
}

std::string between(const std::string& text, const std::string& from, const std::string& to) {
  const std::size_t a = text.find(from);
  const std::size_t b = text.find(to, a == std::string::npos ? 0 : a);
  if (a == std::string::npos || b == std::string::npos) return "";
  return text.substr(a, b - a);
}

class SeedPdf : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    write_report(seed_request(dir_->file("seed.pdf")));
    text_ = new std::string(pdf_text(dir_->file("seed.pdf")));
  }
  static void TearDownTestSuite() {
    delete text_;
    delete dir_;
  }
  static std::string pdf() { return dir_->file("seed.pdf"); }
  static const std::string& text() { return *text_; }

  static test::TempDir* dir_;
  static std::string* text_;
};
test::TempDir* SeedPdf::dir_ = nullptr;
std::string* SeedPdf::text_ = nullptr;

TEST_F(SeedPdf, RankingTableRowsInTheSeedsOrder) {
  const std::string rows =
      "อันดับตัวชี้วัดคะแนน๑๙๑๐๐๒๑๐๑๐๐๓๑๙๕.๐๑๔๓๘๘.๖๒๕๕๘๖.๐๔๖๖๘๕.๐๗๗๗๘๔.๕๔๘๒๘๔.๔๕๙๔๘๓.๐๗๑๐๘๘๒.๗๓";
  EXPECT_NE(without_repeats(text(), "อันดับตัวชี้วัดคะแนน").find("ตารางลำดับคะแนนรายตัวชี้วัด" + rows),
            std::string::npos)
      << text();
}

TEST_F(SeedPdf, TotalAndLevel) {
  EXPECT_NE(text().find("โดยภาพรวมได้คะแนนเท่ากับร้อยละ๙๑.๔๗ระดับผลการประเมิน:ผ่านโดยมีผลการประเมิน"),
            std::string::npos);
}

TEST_F(SeedPdf, StrengthsAndWeaknessesSplitAsInTheSeed) {
  const std::string strengths = between(text(), "๓.๑จุดแข็ง", "๓.๒จุดอ่อน");
  const std::string weaknesses = between(text(), "๓.๒จุดอ่อน", "๔.วิธีพัฒนา");
  ASSERT_FALSE(strengths.empty());
  ASSERT_FALSE(weaknesses.empty());
  EXPECT_NE(strengths.find("๖.ตัวชี้วัดที่๖คุณภาพการดำเนินงานโดยรวมได้คะแนนเท่ากับร้อยละ๘๕.๐๗"),
            std::string::npos);
  EXPECT_NE(strengths.find("๑.ตัวชี้วัดที่๙การเปิดเผยข้อมูลโดยรวมได้คะแนนเท่ากับร้อยละ๑๐๐"), std::string::npos);
  EXPECT_EQ(weaknesses.find("ตัวชี้วัดที่๖"), std::string::npos);
  std::size_t at = 0;
  for (const char* w : {"๑.ตัวชี้วัดที่๗", "๒.ตัวชี้วัดที่๒", "๓.ตัวชี้วัดที่๔", "๔.ตัวชี้วัดที่๘"}) {
    const std::size_t p = weaknesses.find(w, at);
    EXPECT_NE(p, std::string::npos) << w;
    at = p == std::string::npos ? at : p;
  }
}

TEST_F(SeedPdf, PageNumbersFromPageTwo) {
  const std::string page1 = squeeze(run("pdftotext -raw -f 1 -l 1 '" + pdf() + "' -"));
  const std::string page2 = squeeze(run("pdftotext -raw -f 2 -l 2 '" + pdf() + "' -"));
  EXPECT_EQ(page1.find("-๑-"), std::string::npos);
  EXPECT_EQ(page2.rfind("-๒-", 0), 0u) << page2.substr(0, 40);
}

TEST_F(SeedPdf, LaksamanIsEmbedded) {
  const std::string fonts = run("pdffonts '" + pdf() + "'");
  std::istringstream lines(fonts);
  std::string line;
  int laksaman = 0;
  while (std::getline(lines, line)) {
    if (line.find("Laksaman") == std::string::npos) continue;
    ++laksaman;
    // name type... encoding emb sub uni: the "emb" column says yes.
    EXPECT_TRUE(std::regex_search(line, std::regex(R"(\s+yes\s+yes\s+yes\s+\d+\s+\d+\s*$)")))
        << line;
  }
  EXPECT_GE(laksaman, 2) << fonts;
  EXPECT_EQ(fonts.find(" no "), std::string::npos) << fonts;
}

TEST_F(SeedPdf, MetadataAndPageSize) {
  const std::string info = run("pdfinfo '" + pdf() + "'");
  EXPECT_NE(info.find("Page size:       595.276 x 841.89 pts (A4)"), std::string::npos) << info;
  EXPECT_NE(info.find("Mon Jul  1 00:00:00 2024 UTC"), std::string::npos) << info;
  EXPECT_NE(info.find("Title:           มาตรการส่งเสริมคุณธรรมและความโปร่งใส"), std::string::npos)
      << info;
}

TEST_F(SeedPdf, SameInputSameBytes) {
  test::TempDir dir;
  write_report(seed_request(dir.file("again.pdf")));
  EXPECT_EQ(test::read_text(dir.file("again.pdf")), test::read_text(pdf()));
}

// A batch (`ita reports`) reuses each thread's laid-out text from one document to the next: a
// document comes out byte for byte the same after another agency's as on its own. The other
// agency differs in its name (a keep-together word), its scores and so in its weak points.
TEST_F(SeedPdf, ADocumentIsTheSameAfterAnotherAgencysDocument) {
  test::TempDir dir;
  {
    std::ofstream other(dir.file("other.json"));
    other << R"({"format": "ita-result-input/1", "edition": "2566",
      "agency": {"name": "องค์การบริหารส่วนตำบลทดสอบ", "district": "เมือง", "province": "น่าน", "type": "อบต."},
      "indicators": {"1": 71.5, "2": 92.25, "3": 64.0, "4": 88.0, "5": 79.75, "6": 90.5, "7": 66.6, "8": 95.0, "9": 55.5, "10": 81.0}})";
  }
  ReportRequest other = seed_request(dir.file("other.pdf"));
  other.input = dir.file("other.json");
  // Fresh threads: the cache is per thread, and this test's thread has rendered the seed already.
  std::thread([&] {
    write_report(other);
    write_report(seed_request(dir.file("seed-after-other.pdf")));
  }).join();
  std::thread([&] { write_report(seed_request(dir.file("seed-alone.pdf"))); }).join();
  std::thread([&] {
    other.out = dir.file("other-alone.pdf");
    write_report(other);
  }).join();
  EXPECT_EQ(test::read_text(dir.file("seed-after-other.pdf")),
            test::read_text(dir.file("seed-alone.pdf")));
  EXPECT_EQ(test::read_text(dir.file("seed-alone.pdf")), test::read_text(pdf()));
  EXPECT_EQ(test::read_text(dir.file("other.pdf")), test::read_text(dir.file("other-alone.pdf")));
  EXPECT_NE(test::read_text(dir.file("other.pdf")), test::read_text(pdf()));
}

// Mean absolute difference per channel (0-255) between two PNGs of the same size.
double png_difference(const std::string& a, const std::string& b) {
  cairo_surface_t* sa = cairo_image_surface_create_from_png(a.c_str());
  cairo_surface_t* sb = cairo_image_surface_create_from_png(b.c_str());
  double result = 1e9;
  if (cairo_surface_status(sa) == CAIRO_STATUS_SUCCESS &&
      cairo_surface_status(sb) == CAIRO_STATUS_SUCCESS &&
      cairo_image_surface_get_width(sa) == cairo_image_surface_get_width(sb) &&
      cairo_image_surface_get_height(sa) == cairo_image_surface_get_height(sb) &&
      cairo_image_surface_get_format(sa) == cairo_image_surface_get_format(sb)) {
    cairo_surface_flush(sa);
    cairo_surface_flush(sb);
    const int w = cairo_image_surface_get_width(sa), h = cairo_image_surface_get_height(sa);
    const int stride_a = cairo_image_surface_get_stride(sa),
              stride_b = cairo_image_surface_get_stride(sb);
    const unsigned char* pa = cairo_image_surface_get_data(sa);
    const unsigned char* pb = cairo_image_surface_get_data(sb);
    double sum = 0;
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w * 4; ++x)
        sum += std::abs(int(pa[y * stride_a + x]) - int(pb[y * stride_b + x]));
    }
    result = sum / (double(w) * h * 4);
  }
  cairo_surface_destroy(sa);
  cairo_surface_destroy(sb);
  return result;
}

TEST_F(SeedPdf, FirstPageMatchesTheGoldenImage) {
  const std::string golden = test::source("tests/report/golden/seed-page1.png");
  test::TempDir dir;
  run("pdftoppm -r 50 -png -f 1 -l 1 -singlefile '" + pdf() + "' '" + dir.file("page1") + "'");
  ASSERT_TRUE(fs::exists(dir.file("page1.png")));
  if (std::getenv("ITA_UPDATE_GOLDEN") != nullptr) {
    fs::copy_file(dir.file("page1.png"), golden, fs::copy_options::overwrite_existing);
    GTEST_SKIP() << "golden image updated: " << golden;
  }
  const double diff = png_difference(dir.file("page1.png"), golden);
  EXPECT_LT(diff, 1.0) << "mean absolute difference " << diff
                       << " (0-255); regenerate with ITA_UPDATE_GOLDEN=1 "
                       << "after checking the page by eye";
}

TEST(GoldenComparison, DetectsADifferentPage) {
  // The comparison itself must fail for a different page: page 2 against the page-1 golden.
  test::TempDir dir;
  write_report(seed_request(dir.file("seed.pdf")));
  run("pdftoppm -r 50 -png -f 2 -l 2 -singlefile '" + dir.file("seed.pdf") + "' '" +
      dir.file("page2") + "'");
  EXPECT_GT(
      png_difference(dir.file("page2.png"), test::source("tests/report/golden/seed-page1.png")),
      3.0);
}

// The text of an HTML document's body, tags dropped and the escapes our renderer writes decoded.
std::string body_text(const std::string& html) {
  std::string out;
  bool in_tag = false;
  for (std::size_t i = html.find("<body"); i < html.size(); ++i) {
    const char ch = html[i];
    if (ch == '<') in_tag = true;
    if (!in_tag) out += ch;
    if (ch == '>') {
      in_tag = false;
      out += ' ';  // a tag ends a phrase (cells, paragraphs)
    }
  }
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"&lt;", "<"},
                                 {"&gt;", ">"},
                                 {"&quot;", "\""},
                                 {"&#39;", "'"},
                                 {"&amp;", "&"}}) {
    for (std::size_t p = out.find(from); p != std::string::npos; p = out.find(from, p + 1))
      out.replace(p, from.size(), to);
  }
  return out;
}

// The phrases of `text` that hold Thai letters: what a reader would search for or copy. Thai puts
// spaces between phrases, not words.
std::vector<std::string> thai_phrases(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) {
    if (w.find("\xe0\xb8") != std::string::npos || w.find("\xe0\xb9") != std::string::npos)
      out.push_back(w);
  }
  return out;
}

// pdftotext in its default (reading order) mode, the lines joined: a phrase wrapped at a line's
// end reads on, as Thai has no hyphen.
std::string extracted_text(const std::string& pdf) {
  const std::string text = run("pdftotext '" + pdf + "' -");
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const std::size_t a = line.find_first_not_of(" \t\f");
    const std::size_t b = line.find_last_not_of(" \t\f");
    if (a != std::string::npos) out += line.substr(a, b - a + 1);
  }
  return out;
}

TEST(PdfText, AtLeast95PercentOfTheThaiPhrasesExtractIntact) {
  if (!test::have_tool("pdftotext")) GTEST_SKIP() << "pdftotext is not installed";
  test::TempDir dir;
  ReportRequest r = seed_request(dir.file("doc.pdf"));
  r.input =
      test::source("tests/report/fixtures/seed-2566-items.json");  // every section, long tables
  r.thai_digits = false;
  write_report(r);
  r.format = Format::Html;
  r.out = dir.file("doc.html");
  write_report(r);
  const std::vector<std::string> phrases = thai_phrases(body_text(test::read_text(r.out)));
  ASSERT_GT(phrases.size(), 300u);
  const std::string pdf = extracted_text(dir.file("doc.pdf"));
  std::size_t intact = 0;
  std::string broken;
  for (const std::string& p : phrases) {
    if (pdf.find(p) != std::string::npos)
      ++intact;
    else if (broken.size() < 2000)
      broken += p + "\n";
  }
  const double share = 100.0 * static_cast<double>(intact) / static_cast<double>(phrases.size());
  RecordProperty("thai_phrases", static_cast<int>(phrases.size()));
  RecordProperty("intact_percent_x10", static_cast<int>(share * 10));
  EXPECT_GE(share, 95.0) << intact << " of " << phrases.size() << " intact; broken:\n" << broken;
}

TEST(PdfText, MarksOverTallLettersStayInTheirWord) {
  if (!test::have_tool("pdftotext")) GTEST_SKIP() << "pdftotext is not installed";
  test::TempDir dir;
  write_report(seed_request(dir.file("doc.pdf")));
  const std::string text = run("pdftotext '" + dir.file("doc.pdf") + "' -");
  // ป and ฝ carry their marks shifted left, over the letter; ชื่ stacks two marks.
  for (const char* word : {"ป้องกัน", "เป็นการประเมิน", "โดยใช้ชื่อว่า", "งบประมาณ", "จังหวัดเชียงราย"})
    EXPECT_NE(text.find(word), std::string::npos) << word;
  EXPECT_EQ(text.find("ป้ อง"), std::string::npos);
  EXPECT_EQ(text.find("เป็ น"), std::string::npos);
}

TEST(Report, ArabicDigitsByDefault) {
  test::TempDir dir;
  ReportRequest r = seed_request(dir.file("seed.pdf"));
  r.thai_digits = false;
  write_report(r);
  const std::string text = pdf_text(dir.file("seed.pdf"));
  EXPECT_NE(text.find("ร้อยละ91.47ระดับผลการประเมิน:ผ่าน"), std::string::npos);
}

TEST(Report, LongTableRowsSplitAcrossPagesWithTheHeaderRepeated) {
  test::TempDir dir;
  std::string steps;
  for (int k = 1; k <= 90; ++k)
    steps += std::string(k > 1 ? "," : "") + "\"ขั้นตอนที่ " + std::to_string(k) + "\"";
  test::write_text(dir.file("plan.json"),
                   R"({"format":"ita-measures/1","fiscal_year":2567,"measures":[
      {"id":"long","title_th":"มาตรการยาว","steps_th":[)" +
                       steps + R"(],"responsible_th":"สำนักปลัด"}]})");
  ReportRequest r = seed_request(dir.file("long.pdf"));
  r.thai_digits = false;
  r.measures_file = dir.file("plan.json");
  write_report(r);
  const std::string text = pdf_text(dir.file("long.pdf"));
  const std::string measures = text.substr(text.find("5.ข้อเสนอแนะ"));
  EXPECT_NE(measures.find("-ขั้นตอนที่1-ขั้นตอนที่2"), std::string::npos);
  EXPECT_NE(measures.find("-ขั้นตอนที่89-ขั้นตอนที่90"), std::string::npos);
  std::size_t headers = 0;
  for (std::size_t p = measures.find("มาตรการ/แนวทาง"); p != std::string::npos;
       p = measures.find("มาตรการ/แนวทาง", p + 1)) {
    ++headers;
  }
  EXPECT_GE(headers, 2u) << "the header row is repeated on the next page";
}

TEST(Report, HtmlIsSelfContainedAndEscaped) {
  test::TempDir dir;
  test::write_text(dir.file("in.json"), R"({"format":"ita-result-input/1","edition":"2566",
      "agency":{"name":"เทศบาล <b>\"ก&ข\"</b>","district":"แม่สาย","province":"เชียงราย"},
      "indicators":{"1":95.01,"2":84.45,"3":88.62,"4":83.07,"5":86.04,"6":85.07,"7":84.54,"8":82.73,"9":100,"10":100}})");
  ReportRequest r = seed_request(dir.file("report.html"), Format::Html);
  r.input = dir.file("in.json");
  write_report(r);
  const std::string html = test::read_text(dir.file("report.html"));
  EXPECT_NE(html.find("เทศบาล &lt;b&gt;&quot;ก&amp;ข&quot;&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  EXPECT_NE(html.find("@font-face { font-family: \"Laksaman\""), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_NE(html.find("<td rowspan=\"1\" class=\"center\"><p>๙๕.๐๑</p></td>"), std::string::npos);
}

// Every XML part of the package parses; returns python's report.
std::string check_docx(const std::string& path, const test::TempDir& dir) {
  const std::string script =
      "import sys, zipfile, xml.dom.minidom\n"
      "z = zipfile.ZipFile(sys.argv[1])\n"
      "assert z.testzip() is None\n"
      "names = z.namelist()\n"
      "for need in ['[Content_Types].xml', '_rels/.rels', 'word/document.xml', "
      "'word/styles.xml']:\n"
      "    assert need in names, need\n"
      "for n in names:\n"
      "    if n.endswith('.xml') or n.endswith('.rels'):\n"
      "        xml.dom.minidom.parseString(z.read(n))\n"
      "print('ok', len(names))\n";
  test::write_text(dir.file("check_docx.py"), script);
  return run("python3 '" + dir.file("check_docx.py") + "' '" + path + "' 2>&1");
}

TEST(Report, DocxIsAWellFormedPackage) {
  if (!test::have_tool("python3")) GTEST_SKIP() << "python3 is not installed";
  test::TempDir dir;
  ReportRequest r = seed_request(dir.file("report.docx"), Format::Docx);
  r.input = test::source("tests/report/fixtures/seed-2566-items.json");
  write_report(r);
  EXPECT_EQ(check_docx(dir.file("report.docx"), dir), "ok 9\n");
  const std::string document = run("unzip -p '" + dir.file("report.docx") + "' word/document.xml");
  EXPECT_NE(document.find("เทศบาลตำบลแม่สายมิตรภาพ"), std::string::npos);
  EXPECT_NE(document.find("<w:tblHeader/>"), std::string::npos);
  EXPECT_NE(document.find("<w:vMerge w:val=\"restart\"/>"), std::string::npos);
  EXPECT_NE(document.find("r:embed=\"rIdChart1\""), std::string::npos);
  const std::string styles = run("unzip -p '" + dir.file("report.docx") + "' word/styles.xml");
  EXPECT_NE(styles.find("w:cs=\"TH Sarabun New\""), std::string::npos);
}

TEST(Report, DocxIsReproducible) {
  test::TempDir dir;
  write_report(seed_request(dir.file("a.docx"), Format::Docx));
  write_report(seed_request(dir.file("b.docx"), Format::Docx));
  EXPECT_EQ(test::read_text(dir.file("a.docx")), test::read_text(dir.file("b.docx")));
}

TEST(Report, DocxOpensInLibreOffice) {
  if (!test::have_tool("libreoffice")) GTEST_SKIP() << "libreoffice is not installed";
  test::TempDir dir;
  write_report(seed_request(dir.file("report.docx"), Format::Docx));
  int status = 0;
  run("cd '" + dir.path().string() + "' && HOME='" + dir.path().string() +
          "' libreoffice --headless --convert-to pdf report.docx >/dev/null 2>&1",
      &status);
  EXPECT_EQ(status, 0);
  ASSERT_TRUE(fs::exists(dir.file("report.pdf")));
  // LibreOffice's font subsets map some stacked Thai marks to the wrong code points in
  // ToUnicode (e.g. "ชี้" comes back as "ชีว"), so look for phrases whose marks survive.
  const std::string text = squeeze(run("pdftotext '" + dir.file("report.pdf") + "' -"));
  EXPECT_NE(text.find("เทศบาลตำบลแม่สายมิตรภาพ"), std::string::npos);
  EXPECT_NE(text.find("ตารางลำดับคะแนนราย"), std::string::npos);
  EXPECT_NE(text.find("พ.ศ.๒๕๖๗"), std::string::npos);
}

TEST(Report, UnknownMeasureFieldLeavesNoFile) {
  test::TempDir dir;
  test::write_text(
      dir.file("plan.json"),
      R"({"format":"ita-measures/1","fiscal_year":2567,"measures":[{"id":"a","title_th":"t","owner":"x"}]})");
  for (Format f : {Format::Pdf, Format::Html, Format::Docx}) {
    ReportRequest r = seed_request(dir.file("out." + std::string(format_code(f))), f);
    r.measures_file = dir.file("plan.json");
    try {
      write_report(r);
      ADD_FAILURE() << "no error";
    } catch (const io::FileError& e) {
      EXPECT_EQ(e.file(), dir.file("plan.json"));
      EXPECT_EQ(e.where(), "/measures/0/owner");
      EXPECT_NE(std::string(e.what()).find("unknown field \"owner\""), std::string::npos)
          << e.what();
    }
    EXPECT_FALSE(fs::exists(r.out));
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}),
            1);  // plan.json only
}

TEST(Report, PlanProblemsAreFileErrorsWithThePath) {
  test::TempDir dir;
  test::write_text(
      dir.file("plan.json"),
      R"({"format":"ita-measures/1","fiscal_year":2567,"measures":[{"id":"a","title_th":"t","due":"2025-01-15"}]})");
  ReportRequest r = seed_request(dir.file("out.pdf"));
  r.measures_file = dir.file("plan.json");
  try {
    write_report(r);
    ADD_FAILURE() << "no error";
  } catch (const io::FileError& e) {
    EXPECT_EQ(e.where(), "/measures/0/due");
    EXPECT_NE(std::string(e.what()).find("outside fiscal year 2567"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(fs::exists(r.out));
}

TEST(Report, AFailedRunKeepsTheOldFile) {
  test::TempDir dir;
  test::write_text(dir.file("out.pdf"), "old");
  ReportRequest r = seed_request(dir.file("out.pdf"));
  r.measures_file = dir.file("missing.json");
  EXPECT_THROW(write_report(r), io::FileError);
  EXPECT_EQ(test::read_text(dir.file("out.pdf")), "old");
}

TEST(Report, UnwritableOutputIsAFileError) {
  for (const std::string out : {"/proc/x/y.pdf", "/nonexistent-ita-dir/sub/report.pdf"}) {
    try {
      write_report(seed_request(out));
      ADD_FAILURE() << "no error for " << out;
    } catch (const io::FileError& e) {
      EXPECT_EQ(e.file(), out);
      EXPECT_NE(std::string(e.what()).find("cannot write the output file"), std::string::npos)
          << e.what();
    }
    EXPECT_FALSE(fs::exists(out));
  }
}

TEST(Report, MissingIndicatorIsAnError) {
  test::TempDir dir;
  test::write_text(dir.file("in.json"), R"({"format":"ita-result-input/1","edition":"2566",
      "indicators":{"1":95.01,"2":84.45,"3":88.62,"4":83.07,"5":86.04,"6":85.07,"7":84.54,"8":82.73,"9":100}})");
  ReportRequest r = seed_request(dir.file("out.pdf"));
  r.input = dir.file("in.json");
  try {
    write_report(r);
    ADD_FAILURE() << "no error";
  } catch (const io::FileError& e) {
    EXPECT_EQ(e.file(), dir.file("in.json"));
    EXPECT_NE(std::string(e.what()).find("10"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(r.out));
}

TEST(Report, BadCreationDateIsAnInputError) {
  test::TempDir dir;
  ReportRequest r = seed_request(dir.file("out.pdf"));
  r.creation_date = "1 July 2024";
  EXPECT_THROW(write_report(r), InputError);
  r.creation_date = "2024-07-01T25:00:00Z";
  EXPECT_THROW(write_report(r), InputError);
  r.creation_date = "2024-07-01";
  write_report(r);
  EXPECT_NE(run("pdfinfo '" + r.out + "'").find("Mon Jul  1 00:00:00 2024 UTC"), std::string::npos);
}

TEST(Report, DefaultMeasuresCanBeEditedAndPassedBack) {
  test::TempDir dir;
  ReportRequest r = seed_request(dir.file("out.html"), Format::Html);
  std::string json = default_measures(r);
  ASSERT_NE(json.find("\"format\": \"ita-measures/1\""), std::string::npos);
  const std::string from = "\"responsible_th\": \"กองคลัง\"";
  ASSERT_NE(json.find(from), std::string::npos);
  json.replace(json.find(from), from.size(), "\"responsible_th\": \"งานพัสดุ กองคลัง\"");
  test::write_text(dir.file("plan.json"), json);
  r.measures_file = dir.file("plan.json");
  write_report(r);
  EXPECT_NE(test::read_text(r.out).find("งานพัสดุ กองคลัง"), std::string::npos);
}

TEST(Report, FormatCodes) {
  EXPECT_EQ(parse_format("pdf"), Format::Pdf);
  EXPECT_EQ(parse_format("html"), Format::Html);
  EXPECT_EQ(parse_format("docx"), Format::Docx);
  EXPECT_EQ(parse_format("odt"), std::nullopt);
  EXPECT_EQ(format_code(Format::Docx), "docx");
}

}  // namespace
}  // namespace ita::report
