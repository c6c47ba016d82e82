// The tracker's 6-month and year-end reports: the document model, and the PDF, HTML and DOCX
// renderings of it.
#include "report/progress_report.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "report/render.hpp"
#include "support.hpp"

namespace ita::report {
namespace {

namespace chr = std::chrono;
using test::run;
using test::squeeze;

constexpr chr::year_month_day ymd(int y, unsigned m, unsigned d) {
  return chr::year_month_day{chr::year{y}, chr::month{m}, chr::day{d}};
}

const io::AgencyInfo kAgency{"เทศบาลตำบลแม่สายมิตรภาพ", "แม่สาย", "เชียงราย", "เทศบาลตำบล"};

Measure measure(std::string id, std::string title, std::string responsible,
                std::optional<chr::year_month_day> due) {
  Measure m;
  m.id = std::move(id);
  m.title_th = std::move(title);
  m.responsible_th = std::move(responsible);
  m.due = due;
  return m;
}

// FY2568: 1 Oct 2024 - 30 Sep 2025.
MeasuresPlan plan() {
  MeasuresPlan p;
  p.fiscal_year = FiscalYear{2568};
  p.measures = {measure("gifts", "ประกาศนโยบายไม่รับของขวัญ", "สำนักปลัด", ymd(2024, 12, 31)),
                measure("open-data", "เปิดเผยข้อมูลการจัดซื้อจัดจ้าง", "กองคลัง", ymd(2025, 3, 31)),
                measure("conflict", "ป้องกันผลประโยชน์ทับซ้อน", "ทุกสำนัก/กอง", std::nullopt)};
  return p;
}

std::vector<ProgressReport> reports() {
  return {{"open-data", ymd(2025, 1, 20), "เผยแพร่แผนจัดซื้อจัดจ้าง 2568 แล้ว",
           "https://maesai.go.th/ita/o12?y=2568", MeasureStatus::Done},
          {"gifts", ymd(2024, 11, 5), "ร่างประกาศแล้ว", "", MeasureStatus::InProgress},
          {"conflict", ymd(2025, 6, 1), "อบรมบุคลากร 45 คน",
           "https://maesai.go.th/ita/training-2568", MeasureStatus::InProgress}};
}

const Table& nth_table(const Document& doc, std::size_t n) {
  for (const auto& b : doc.blocks) {
    if (const auto* t = std::get_if<Table>(&b); t != nullptr && n-- == 0) return *t;
  }
  throw std::out_of_range("no such table");
}

std::vector<std::string> paragraphs(const Document& doc) {
  std::vector<std::string> out;
  for (const auto& b : doc.blocks) {
    if (const auto* p = std::get_if<Paragraph>(&b)) out.push_back(p->text);
  }
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(ProgressReport, SixMonthReportModel) {
  const auto summary =
      summarise_progress(plan(), reports(), first_half_period(FiscalYear{2568}), ymd(2026, 1, 1));
  const Document doc = build_progress_document(kAgency, summary, DocumentOptions{false, true});
  EXPECT_EQ(doc.title,
            "รายงานความก้าวหน้าการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส รอบ 6 เดือน "
            "ประจำปีงบประมาณ พ.ศ. 2568");
  const auto ps = paragraphs(doc);
  EXPECT_TRUE(has(ps, doc.title));
  EXPECT_TRUE(has(ps, "หน่วยงานเทศบาลตำบลแม่สายมิตรภาพ อำเภอแม่สาย จังหวัดเชียงราย"));
  EXPECT_TRUE(has(ps, "ระยะเวลาดำเนินการ 1 ตุลาคม 2567 ถึง 31 มีนาคม 2568"));
  EXPECT_TRUE(has(ps,
                  "มาตรการทั้งหมด 3 มาตรการ ดำเนินการแล้วเสร็จ 1 มาตรการ อยู่ระหว่างดำเนินการ 1 มาตรการ "
                  "ยังไม่ดำเนินการ 1 มาตรการ ยกเลิก 0 มาตรการ และเกินกำหนด 1 มาตรการ"));
  EXPECT_TRUE(
      has(ps, "1. ประกาศนโยบายไม่รับของขวัญ (มาตรการที่ 1, ภายในเดือนธันวาคม 2567, อยู่ระหว่างดำเนินการ)"));

  const Table& counts = nth_table(doc, 0);
  ASSERT_EQ(counts.rows.size(), 6u);
  EXPECT_EQ(counts.rows[0][1].lines, std::vector<std::string>{"1"});
  EXPECT_EQ(counts.rows[0][2].lines, std::vector<std::string>{"33.33"});
  EXPECT_EQ(counts.rows[4][1].lines, std::vector<std::string>{"3"});

  const Table& t = nth_table(doc, 1);
  ASSERT_EQ(t.columns.size(), 6u);
  EXPECT_EQ(t.columns[0].header, "มาตรการ");
  EXPECT_EQ(t.columns[5].header, "หลักฐาน");
  ASSERT_EQ(t.rows.size(), 3u);
  const auto& gifts = t.rows[0];
  EXPECT_EQ(gifts[0].lines, std::vector<std::string>{"1. ประกาศนโยบายไม่รับของขวัญ"});
  EXPECT_EQ(gifts[1].lines, std::vector<std::string>{"สำนักปลัด"});
  EXPECT_EQ(gifts[2].lines, std::vector<std::string>{"ภายในเดือนธันวาคม 2567"});
  EXPECT_EQ(gifts[3].lines, (std::vector<std::string>{"อยู่ระหว่างดำเนินการ", "เกินกำหนด"}));
  EXPECT_EQ(gifts[4].lines, std::vector<std::string>{"5 พ.ย. 67: ร่างประกาศแล้ว"});
  EXPECT_EQ(gifts[5].lines, std::vector<std::string>{"-"});
  const auto& open_data = t.rows[1];
  EXPECT_EQ(open_data[3].lines, std::vector<std::string>{"ดำเนินการแล้วเสร็จ"});
  EXPECT_EQ(open_data[5].lines, std::vector<std::string>{"https://maesai.go.th/ita/o12?y=2568"});
  const auto& conflict = t.rows[2];
  EXPECT_EQ(conflict[2].lines, std::vector<std::string>{"ตลอดปีงบประมาณ พ.ศ. 2568"});
  EXPECT_EQ(conflict[3].lines, std::vector<std::string>{"ยังไม่ดำเนินการ"})
      << "the June report is after the half year";
  EXPECT_EQ(conflict[4].lines, std::vector<std::string>{"-"});
}

TEST(ProgressReport, YearEndReportModelWithThaiDigitsKeepsUrlsIntact) {
  const auto summary =
      summarise_progress(plan(), reports(), year_period(FiscalYear{2568}), ymd(2025, 7, 15));
  const Document doc = build_progress_document(kAgency, summary, DocumentOptions{true, true});
  EXPECT_EQ(doc.title,
            "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๘");
  EXPECT_TRUE(doc.thai_digits);
  const auto ps = paragraphs(doc);
  EXPECT_TRUE(has(ps, "ระยะเวลาดำเนินการ ๑ ตุลาคม ๒๕๖๗ ถึง ๓๐ กันยายน ๒๕๖๘"));
  EXPECT_TRUE(has(ps, "ข้อมูล ณ วันที่ ๑๕ กรกฎาคม ๒๕๖๘")) << "the year is still running";
  const Table& t = nth_table(doc, 1);
  EXPECT_EQ(t.rows[2][4].lines, std::vector<std::string>{"๑ มิ.ย. ๖๘: อบรมบุคลากร ๔๕ คน"});
  EXPECT_EQ(t.rows[2][5].lines, std::vector<std::string>{"https://maesai.go.th/ita/training-2568"});
  EXPECT_EQ(t.rows[1][5].lines, std::vector<std::string>{"https://maesai.go.th/ita/o12?y=2568"});
}

TEST(ProgressReport, AnEmptyPlanSaysSo) {
  MeasuresPlan empty;
  empty.fiscal_year = FiscalYear{2568};
  const auto summary =
      summarise_progress(empty, {}, year_period(FiscalYear{2568}), ymd(2026, 1, 1));
  const Document doc = build_progress_document(kAgency, summary, DocumentOptions{});
  const auto ps = paragraphs(doc);
  EXPECT_TRUE(has(ps, "ยังไม่ได้กำหนดมาตรการ"));
  EXPECT_TRUE(has(ps, "- ไม่มี -"));
  EXPECT_EQ(nth_table(doc, 0).rows[0][2].lines, std::vector<std::string>{"-"});
}

TEST(ProgressReport, PdfShowsTitlesStatusesAndTheOverdueMark) {
  if (!test::have_tool("pdftotext")) GTEST_SKIP() << "pdftotext is not installed";
  const auto summary =
      summarise_progress(plan(), reports(), first_half_period(FiscalYear{2568}), ymd(2026, 1, 1));
  const std::string pdf =
      render_pdf(build_progress_document(kAgency, summary, DocumentOptions{true, true}),
                 RenderOptions{"2025-04-01T00:00:00Z"});
  ASSERT_EQ(pdf.substr(0, 5), "%PDF-");
  test::TempDir dir;
  test::write_text(dir.file("r.pdf"), pdf);
  const std::string text = squeeze(run("pdftotext -raw '" + dir.file("r.pdf") + "' -"));
  for (const std::string s :
       {"รายงานความก้าวหน้าการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสรอบ๖เดือน",
        "ประกาศนโยบายไม่รับของขวัญ", "เปิดเผยข้อมูลการจัดซื้อจัดจ้าง", "ป้องกันผลประโยชน์ทับซ้อน",
        "อยู่ระหว่างดำเนินการ", "ดำเนินการแล้วเสร็จ", "ยังไม่ดำเนินการ", "เกินกำหนด",
        "https://maesai.go.th/ita/o12?y=2568"}) {
    EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;
  }
  EXPECT_EQ(text.find("อบรมบุคลากร"), std::string::npos)
      << "a June report is not in the 6-month report";
}

TEST(ProgressReport, HtmlEscapesValues) {
  MeasuresPlan p = plan();
  p.measures[0].title_th = "<script>alert(\"x\")</script> & ของขวัญ";
  p.measures[0].responsible_th = "กอง <b>คลัง</b>";
  auto rs = reports();
  rs[1].text_th = "ร่าง <i>ประกาศ</i>";
  rs[1].evidence_url = "https://maesai.go.th/a?b=1&c=<2>";
  const auto summary = summarise_progress(p, rs, year_period(FiscalYear{2568}), ymd(2026, 1, 1));
  const std::string html =
      render_html(build_progress_document(kAgency, summary, DocumentOptions{}), RenderOptions{});
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; ของขวัญ"),
            std::string::npos);
  EXPECT_NE(html.find("กอง &lt;b&gt;คลัง&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(html.find("ร่าง &lt;i&gt;ประกาศ&lt;/i&gt;"), std::string::npos);
  EXPECT_NE(html.find("https://maesai.go.th/a?b=1&amp;c=&lt;2&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("เกินกำหนด"), std::string::npos);
}

TEST(ProgressReport, DocxHoldsTheTable) {
  const auto summary =
      summarise_progress(plan(), reports(), year_period(FiscalYear{2568}), ymd(2026, 1, 1));
  const std::string docx =
      render_docx(build_progress_document(kAgency, summary, DocumentOptions{true, true}),
                  RenderOptions{"2025-10-01T00:00:00Z"});
  ASSERT_EQ(docx.substr(0, 2), "PK");
  test::TempDir dir;
  test::write_text(dir.file("r.docx"), docx);
  const std::string xml = run("unzip -p '" + dir.file("r.docx") + "' word/document.xml");
  EXPECT_NE(xml.find("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส"), std::string::npos);
  EXPECT_NE(xml.find("ป้องกันผลประโยชน์ทับซ้อน"), std::string::npos);
  EXPECT_NE(xml.find("เกินกำหนด"), std::string::npos)
      << "the December measure is still in progress on 30 September";
  EXPECT_NE(xml.find("https://maesai.go.th/ita/training-2568"), std::string::npos);
}

}  // namespace
}  // namespace ita::report
