#include "io/document_text.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/oit_readiness.hpp"
#include "report/document.hpp"
#include "report/render.hpp"

namespace ita::io {
namespace {

using namespace std::chrono_literals;

// `thai_utf8` (Thai letters, ASCII) in TIS-620 / windows-874: U+0E01..U+0E5B are 0xA1..0xFB.
std::string to_windows_874(std::string_view thai_utf8) {
  std::string out;
  for (std::size_t i = 0; i < thai_utf8.size();) {
    const auto b = static_cast<unsigned char>(thai_utf8[i]);
    if (b < 0x80) {
      out.push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    const unsigned cp = ((b & 0x0Fu) << 12) |
                        ((static_cast<unsigned char>(thai_utf8[i + 1]) & 0x3Fu) << 6) |
                        (static_cast<unsigned char>(thai_utf8[i + 2]) & 0x3Fu);
    out.push_back(static_cast<char>(cp - 0x0E00 + 0xA0));
    i += 3;
  }
  return out;
}

// A one-page PDF showing `ascii` in Helvetica, with a correct cross-reference table.
std::string ascii_pdf(const std::string& ascii) {
  const std::string stream = "BT /F1 24 Tf 72 720 Td (" + ascii + ") Tj ET";
  const std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t o : offsets) {
    const std::string n = std::to_string(o);
    pdf += std::string(10 - n.size(), '0') + n + " 00000 n \n";
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

TEST(DocumentText, ScriptsAndStylesAreNotText) {
  const std::string html =
      "<!DOCTYPE html><html><head><title>ITA O1</title><style>p{color:red}</style>"
      "<script>var year = 2566;</script></head><body>"
      "<noscript>เปิด JavaScript</noscript><template><p>แม่แบบ</p></template>"
      "<h1>โครงสร้าง&nbsp;หน่วยงาน</h1><p>ประจำปี&#3650;&#3618; &amp; ปีงบประมาณ   2567</p>"
      "<ul><li>สำนักปลัด</li><li>กอง<b>คลัง</b></li></ul><!-- 2565 --><div>ก<br>ข</div>"
      "<script type=\"text/javascript\">document.write('2565')</script></body></html>";
  const std::string text = html_text(html);
  for (const char* hidden : {"color", "var year", "2566", "2565", "JavaScript", "แม่แบบ"}) {
    EXPECT_EQ(text.find(hidden), std::string::npos) << hidden << " in:\n" << text;
  }
  EXPECT_NE(text.find("โครงสร้าง\u00A0หน่วยงาน\n"), std::string::npos) << text;
  EXPECT_NE(text.find("ประจำปีโย & ปีงบประมาณ 2567\n"), std::string::npos) << text;
  EXPECT_NE(text.find("สำนักปลัด\nกองคลัง\n"), std::string::npos) << text;
  EXPECT_NE(text.find("ก\nข"), std::string::npos) << text;
  EXPECT_NE(text.find("ITA O1"), std::string::npos) << text;
  EXPECT_EQ(html_text(""), "");
  EXPECT_EQ(html_text("<html><body><p></p></body></html>"), "");
  // Broken markup still gives its text.
  EXPECT_NE(html_text("<div><p>ข้อมูล<table><tr><td>ผู้บริหาร").find("ผู้บริหาร"), std::string::npos);
}

TEST(DocumentText, Windows874PagesDecode) {
  const std::string words = "ประกาศ ปีงบประมาณ พ.ศ. 2567";
  for (const char* meta :
       {"<meta charset=\"windows-874\">",
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=TIS-620\">", ""}) {
    const std::string html = std::string("<html><head>") + meta + "</head><body><p>" +
                             to_windows_874(words) + "</p></body></html>";
    const std::string text = html_text(html);
    EXPECT_NE(text.find(words), std::string::npos) << meta << ": " << text;
  }
  // UTF-8, declared or not, stays UTF-8.
  EXPECT_NE(html_text("<meta charset=utf-8><p>" + words + "</p>").find(words), std::string::npos);
  EXPECT_NE(html_text("<p>" + words + "</p>").find(words), std::string::npos);
}

TEST(DocumentText, PdfsAreRecognisedByTypeOrMagic) {
  EXPECT_TRUE(looks_like_pdf("application/pdf", ""));
  EXPECT_TRUE(looks_like_pdf(" Application/PDF; charset=binary", "<html>"));
  EXPECT_TRUE(looks_like_pdf("application/octet-stream", "%PDF-1.7\n..."));
  EXPECT_TRUE(looks_like_pdf("", "\r\n%PDF-1.4"));
  EXPECT_FALSE(looks_like_pdf("text/html; charset=utf-8", "<html>%PDF</html>"));
  EXPECT_FALSE(looks_like_pdf("application/pdfx", ""));
}

TEST(DocumentText, PdfTextComesFromPdftotext) {
  const std::optional<std::string> text = pdf_text(ascii_pdf("Annual Plan 2567"), 20s);
  ASSERT_TRUE(text.has_value());
  EXPECT_NE(text->find("Annual Plan 2567"), std::string::npos) << *text;

  // A Thai PDF as the report library writes it (pango on cairo, Laksaman embedded).
  report::Document doc;
  doc.title = "แผน";
  doc.blocks.push_back(report::Paragraph{report::ParagraphStyle::Body,
                                         "แผนการใช้จ่ายงบประมาณ ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ "
                                         "ของผู้บริหารท้องถิ่น"});
  const std::optional<std::string> thai = pdf_text(report::render_pdf(doc, {}), 20s);
  ASSERT_TRUE(thai.has_value());
  EXPECT_TRUE(has_keyword(*thai, {"แผนการใช้จ่ายงบประมาณ"})) << *thai;
  EXPECT_TRUE(has_keyword(*thai, {"ผู้บริหาร"})) << *thai;
  EXPECT_TRUE(fiscal_year_signs(*thai, 2567).in_fiscal_year) << *thai;
}

TEST(DocumentText, APdfThatIsNotAPdfGivesNothing) {
  EXPECT_EQ(pdf_text("<html><body>not a PDF</body></html>", 20s), std::nullopt);
  EXPECT_EQ(pdf_text("", 20s), std::nullopt);
  EXPECT_EQ(pdf_text("%PDF-1.4\n1 0 obj garbage", 20s), std::nullopt);
}

TEST(DocumentText, TheChildIsKilledAfterTheTimeout) {
  // A child that never reads its input nor exits: the exchange must not block on either.
  const std::string input(8 * 1024 * 1024, 'x');
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(run_filter({"sleep", "30"}, input, 300ms, 1024), std::nullopt);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);

  // Output past the cap: the first bytes, the child killed.
  const auto capped = run_filter({"yes"}, "", 10s, 1000);
  ASSERT_TRUE(capped.has_value());
  EXPECT_EQ(capped->size(), 1000u);
  EXPECT_EQ(capped->substr(0, 4), "y\ny\n");

  // A filter that reads everything; a failing one; a missing one.
  EXPECT_EQ(run_filter({"cat"}, input, 20s, input.size()), input);
  EXPECT_EQ(run_filter({"false"}, "", 20s, 1024), std::nullopt);
  EXPECT_EQ(run_filter({"no-such-program-ita"}, "", 20s, 1024), std::nullopt);
}

}  // namespace
}  // namespace ita::io
