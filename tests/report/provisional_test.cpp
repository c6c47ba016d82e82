// The measures document of an open round: its figures are provisional (service/release.hpp), and
// the PDF, DOCX and HTML say so right after the total score; a final result has no such notice.
#include <gtest/gtest.h>

#include "core/analysis.hpp"
#include "io/result_input.hpp"
#include "report/document.hpp"
#include "report/measures_json.hpp"
#include "report/render.hpp"
#include "support.hpp"

namespace ita::report {
namespace {

constexpr const char* kNotice =
    "ผลเบื้องต้น: รอบการประเมินยังเปิดอยู่ ตัวเลขอาจเปลี่ยนแปลง (คำนวณจากผู้ตอบแบบวัด IIT 14 คน และ EIT 22 "
    "คน ณ วันที่ 3 ธันวาคม 2569)";

class ProvisionalDocument : public ::testing::Test {
 protected:
  // The seed round's document as `format`, with `notice` (empty: a final result).
  std::string rendered(Format format, const std::string& notice) {
    const io::ScoredInput scored = io::score_file(
        test::source("tests/fixtures/seed-2566-indicators.json"), editions_, io::ScoreOptions{});
    const Analysis a = analyze(*scored.edition, scored.result);
    const MeasuresPlan plan = build_default_plan(*scored.edition, a, builtin_measures_library());
    const Document doc =
        build_document({*scored.edition, scored.agency, scored.result, a, plan, notice},
                       DocumentOptions{false, true});
    const std::string file = dir_.file("doc." + std::string(format_code(format)));
    test::write_text(file, render(format, doc, RenderOptions{"2024-07-01T00:00:00Z"}));
    return file;
  }

  io::EditionSet editions_ = io::EditionSet::builtin();
  test::TempDir dir_;
};

TEST_F(ProvisionalDocument, ThePdfSaysSoAfterTheTotalScore) {
  if (!test::have_tool("pdftotext")) GTEST_SKIP() << "pdftotext is not installed";
  const std::string text =
      test::squeeze(test::run("pdftotext -raw '" + rendered(Format::Pdf, kNotice) + "' -"));
  const std::size_t total = text.find("โดยภาพรวมได้คะแนนเท่ากับร้อยละ91.47");
  const std::size_t notice = text.find(test::squeeze(kNotice));
  ASSERT_NE(total, std::string::npos) << text;
  ASSERT_NE(notice, std::string::npos) << text;
  EXPECT_LT(total, notice);
  EXPECT_LT(notice, text.find("ตารางลำดับคะแนนรายตัวชี้วัด")) << "before the ranking that follows";
  const std::string final_text =
      test::squeeze(test::run("pdftotext -raw '" + rendered(Format::Pdf, "") + "' -"));
  EXPECT_EQ(final_text.find("ผลเบื้องต้น"), std::string::npos);
}

TEST_F(ProvisionalDocument, TheDocxAndHtmlSaySoToo) {
  const std::string docx = rendered(Format::Docx, kNotice);
  const std::string xml = test::run("unzip -p '" + docx + "' word/document.xml");
  EXPECT_NE(xml.find(kNotice), std::string::npos);
  EXPECT_NE(test::read_text(rendered(Format::Html, kNotice)).find(kNotice), std::string::npos);
  const std::string final_xml =
      test::run("unzip -p '" + rendered(Format::Docx, "") + "' word/document.xml");
  EXPECT_EQ(final_xml.find("ผลเบื้องต้น"), std::string::npos);
}

}  // namespace
}  // namespace ita::report
