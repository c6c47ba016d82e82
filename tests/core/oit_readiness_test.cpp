#include "core/oit_readiness.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ita {
namespace {

// A page's worth of Thai text (well over the 200 visible characters a page needs) around `core`.
std::string page_text(const std::string& core) {
  std::string filler;
  for (int i = 0; i < 12; ++i) filler += "ข้อมูลสาธารณะของหน่วยงานเพื่อความโปร่งใส ";
  return filler + "\n" + core + "\n" + filler;
}

FetchedPage good_page(const std::string& url, const std::string& core) {
  FetchedPage p;
  p.url = url;
  p.final_url = url;
  p.status = 200;
  p.text = page_text(core);
  return p;
}

ReadinessRules rules_2567(std::vector<std::string> keywords = {}) {
  ReadinessRules r;
  r.fiscal_year = 2567;
  r.agency_domain = "kudpladuk.go.th";
  r.keywords = std::move(keywords);
  return r;
}

TEST(OitReadiness, CodesRoundTrip) {
  const std::vector<Readiness> all = {
      Readiness::NoEvidence,       Readiness::Refused,          Readiness::Unreachable,
      Readiness::ErrorStatus,      Readiness::OutsideDomain,    Readiness::TooLarge,
      Readiness::TooLittleContent, Readiness::BeforeFiscalYear, Readiness::NoFiscalYear,
      Readiness::MissingKeywords,  Readiness::LikelyFine};
  std::vector<std::string> codes;
  for (Readiness r : all) {
    const std::string_view code = readiness_code(r);
    EXPECT_EQ(parse_readiness(code), r) << code;
    codes.emplace_back(code);
  }
  EXPECT_EQ(codes.front(), "no_evidence");
  EXPECT_EQ(codes.back(), "likely_fine");
  EXPECT_EQ(readiness_code(Readiness::TooLittleContent), "too_little_content");
  EXPECT_EQ(parse_readiness("Likely_Fine"), std::nullopt);
  EXPECT_EQ(parse_readiness(""), std::nullopt);
}

TEST(OitReadiness, AYearInThaiDigitsCountsAsTheFiscalYear) {
  EXPECT_TRUE(fiscal_year_signs("แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๗", 2567).in_fiscal_year);
  EXPECT_TRUE(fiscal_year_signs("ปีงบประมาณ๒๕๖๗", 2567).in_fiscal_year);
  EXPECT_TRUE(fiscal_year_signs("ประกาศ ณ วันที่ ๑๕ ม.ค. ๒๕๖๗", 2567).in_fiscal_year);
  EXPECT_TRUE(fiscal_year_signs("๑๕/๑/๒๕๖๗", 2567).in_fiscal_year);
  EXPECT_TRUE(fiscal_year_signs("รายงาน ๒๕๖๗ ฉบับที่ ๑", 2567).in_fiscal_year);
  EXPECT_TRUE(fiscal_year_signs("15 ม.ค. 67", 2567).in_fiscal_year);
  EXPECT_FALSE(fiscal_year_signs("ปีงบประมาณ ๒๕๖๘", 2567).in_fiscal_year);
  // A figure is not a year: a longer number, a decimal, an amount with separators.
  EXPECT_FALSE(fiscal_year_signs("เลขที่ 125670 ราคา 1.2567 บาท 2,567,000", 2567).in_fiscal_year);
  const YearSigns none = fiscal_year_signs("ไม่มีปีใดเลย", 2567);
  EXPECT_FALSE(none.in_fiscal_year);
  EXPECT_FALSE(none.before_fiscal_year);
}

TEST(OitReadiness, October2566CountsForFiscalYear2567) {
  for (const char* text : {"1 ตุลาคม 2566", "1 ต.ค. 2566", "ต.ค.2566", "31/12/2566", "1-10-2566",
                           "๓๐ กันยายน ๒๕๖๗", "ธันวาคม พ.ศ. 2566"}) {
    const YearSigns s = fiscal_year_signs(text, 2567);
    EXPECT_TRUE(s.in_fiscal_year) << text;
    EXPECT_FALSE(s.before_fiscal_year) << text;
  }
  for (const char* text : {"30 ก.ย. 2566", "30/9/2566", "1 ตุลาคม 2567"}) {
    EXPECT_FALSE(fiscal_year_signs(text, 2567).in_fiscal_year) << text;
  }
  // Numeric dates of web systems, in the Christian era: October 2023 is in FY 2567.
  EXPECT_TRUE(fiscal_year_signs("แก้ไขล่าสุด 2023-10-05 14:00", 2567).in_fiscal_year);
  EXPECT_TRUE(fiscal_year_signs("05/10/2023", 2567).in_fiscal_year);
  EXPECT_TRUE(fiscal_year_signs("2023-09-30", 2567).before_fiscal_year);
  EXPECT_FALSE(fiscal_year_signs("© 2024 สงวนลิขสิทธิ์", 2567).in_fiscal_year);
}

TEST(OitReadiness, OnlyThePreviousYearIsBeforeTheFiscalYear) {
  for (const char* text : {"ปีงบประมาณ 2566", "ปีงบประมาณ พ.ศ.๒๕๖๖", "30 ก.ย. 2566", "2565",
                           "พ.ศ. 2564", "แผนพัฒนา พ.ศ. 2561-2565"}) {
    const YearSigns s = fiscal_year_signs(text, 2567);
    EXPECT_TRUE(s.before_fiscal_year) << text;
    EXPECT_FALSE(s.in_fiscal_year) << text;
  }
  EXPECT_EQ(fiscal_year_signs("2565 และ 30 ก.ย. 2566", 2567).latest_before, 2566);
  // Later years are not before; a bare 2566 is neither (its October-December are in FY 2567).
  for (const char* text : {"ปีงบประมาณ 2568", "2570", "2566"}) {
    EXPECT_FALSE(fiscal_year_signs(text, 2567).before_fiscal_year) << text;
  }
  // A range that covers the year is in it.
  EXPECT_TRUE(fiscal_year_signs("แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)", 2567).in_fiscal_year);

  ReadinessRules rules = rules_2567();
  const auto old = classify_item(
      {good_page("https://kudpladuk.go.th/o11", "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2566")}, rules);
  EXPECT_EQ(old.verdict, Readiness::BeforeFiscalYear);
  EXPECT_EQ(old.reason_th,
            "พบเฉพาะข้อมูลก่อนปีงบประมาณ 2567 (เช่น 2566) ในหน้า https://kudpladuk.go.th/o11 "
            "ควรเผยแพร่ข้อมูลของปีงบประมาณ 2567");
  const auto none =
      classify_item({good_page("https://kudpladuk.go.th/o11", "แผนการดำเนินงาน")}, rules);
  EXPECT_EQ(none.verdict, Readiness::NoFiscalYear);
  EXPECT_NE(none.reason_th.find("ไม่พบปี พ.ศ. 2567 หรือวันที่ในปีงบประมาณ 2567 ในหน้า "
                                "https://kudpladuk.go.th/o11"),
            std::string::npos)
      << none.reason_th;
}

TEST(OitReadiness, ASubdomainIsOnTheAgencyDomainButALookalikeIsNot) {
  EXPECT_EQ(agency_domain_of("https://www.KudPladuk.go.th:8443/ita?x=1"), "kudpladuk.go.th");
  EXPECT_EQ(agency_domain_of("www.kudpladuk.go.th/"), "kudpladuk.go.th");
  EXPECT_EQ(agency_domain_of("http://user:pw@kudpladuk.go.th."), "kudpladuk.go.th");
  EXPECT_EQ(agency_domain_of(""), "");
  EXPECT_TRUE(on_domain("https://kudpladuk.go.th/o1", "kudpladuk.go.th"));
  EXPECT_TRUE(on_domain("https://www.kudpladuk.go.th/o1", "kudpladuk.go.th"));
  EXPECT_TRUE(on_domain("http://ita.KUDPLADUK.go.th:8080/o1", "kudpladuk.go.th"));
  EXPECT_FALSE(on_domain("https://evil-kudpladuk.go.th/o1", "kudpladuk.go.th"));
  EXPECT_FALSE(on_domain("https://kudpladuk.go.th.evil.com/o1", "kudpladuk.go.th"));
  EXPECT_FALSE(on_domain("https://evil.com/kudpladuk.go.th", "kudpladuk.go.th"));
  EXPECT_FALSE(on_domain("https://evil.com/?u=https://kudpladuk.go.th", "kudpladuk.go.th"));
  EXPECT_FALSE(on_domain("https://kudpladuk.go.th@evil.com/", "kudpladuk.go.th"));
  EXPECT_FALSE(on_domain("https://kudpladuk.go.th/o1", ""));

  // Judged where the page landed after redirects.
  FetchedPage p = good_page("https://kudpladuk.go.th/o1", "โครงสร้าง ปีงบประมาณ 2567");
  p.final_url = "https://drive.google.com/file/d/x";
  const auto r = classify_item({p}, rules_2567());
  EXPECT_EQ(r.verdict, Readiness::OutsideDomain);
  EXPECT_EQ(r.url, "https://kudpladuk.go.th/o1");
  EXPECT_NE(r.reason_th.find("อยู่นอกเว็บไซต์ของหน่วยงาน (kudpladuk.go.th)"), std::string::npos)
      << r.reason_th;
  EXPECT_NE(r.reason_th.find("https://drive.google.com/file/d/x"), std::string::npos);
  // An unknown domain is not checked.
  ReadinessRules unknown = rules_2567();
  unknown.agency_domain = "";
  EXPECT_EQ(classify_item({p}, unknown).verdict, Readiness::LikelyFine);
}

TEST(OitReadiness, ADeadLinkAmongSeveralUrlsFlagsTheItem) {
  const FetchedPage fine = good_page("https://kudpladuk.go.th/o1", "โครงสร้าง ปีงบประมาณ 2567");
  FetchedPage dead;
  dead.url = "https://kudpladuk.go.th/o1-old";
  dead.final_url = dead.url;
  dead.status = 404;
  const auto r = classify_item({fine, dead, fine}, rules_2567({"โครงสร้าง"}));
  EXPECT_EQ(r.verdict, Readiness::ErrorStatus);
  EXPECT_EQ(r.url, dead.url);
  EXPECT_EQ(r.reason_th,
            "ลิงก์ https://kudpladuk.go.th/o1-old ตอบกลับรหัส 404 (ไม่พบหน้า) "
            "ตรวจสอบว่าลิงก์ถูกต้อง");

  // The worst of several failures wins, whatever their order.
  FetchedPage timeout;
  timeout.url = "https://kudpladuk.go.th/slow";
  timeout.failure = FetchFailure::Timeout;
  const auto worst = classify_item({dead, fine, timeout}, rules_2567());
  EXPECT_EQ(worst.verdict, Readiness::Unreachable);
  EXPECT_EQ(worst.url, timeout.url);
  for (FetchFailure f :
       {FetchFailure::Unreachable, FetchFailure::TooManyRedirects, FetchFailure::Truncated}) {
    timeout.failure = f;
    EXPECT_EQ(classify_item({timeout}, rules_2567()).verdict, Readiness::Unreachable);
  }
  timeout.failure = FetchFailure::Refused;
  EXPECT_EQ(classify_item({fine, timeout}, rules_2567()).verdict, Readiness::Refused);
  timeout.failure = FetchFailure::TooLarge;
  EXPECT_EQ(classify_item({fine, timeout}, rules_2567()).verdict, Readiness::TooLarge);

  FetchedPage thin = good_page("https://kudpladuk.go.th/o2", "");
  thin.text = "ผู้บริหาร ปีงบประมาณ 2567";
  const auto t = classify_item({fine, thin}, rules_2567());
  EXPECT_EQ(t.verdict, Readiness::TooLittleContent);
  EXPECT_EQ(t.url, thin.url);
  EXPECT_NE(t.reason_th.find(std::to_string(visible_characters(thin.text)) + " ตัวอักษร"),
            std::string::npos)
      << t.reason_th;

  // All fine together: the union of the pages shows the year and a keyword.
  const auto ok = classify_item({good_page("https://kudpladuk.go.th/a", "ปีงบประมาณ 2567"),
                                 good_page("https://kudpladuk.go.th/b", "แผนผังโครงสร้าง")},
                                rules_2567({"โครงสร้าง"}));
  EXPECT_EQ(ok.verdict, Readiness::LikelyFine);
  EXPECT_NE(ok.reason_th.find("พบข้อมูลปีงบประมาณ 2567 และคำสำคัญของข้อ (โครงสร้าง)"), std::string::npos)
      << ok.reason_th;
}

TEST(OitReadiness, KeywordsMatchAcrossSpacesInsertedByPdfExtraction) {
  // pdftotext breaks Thai words with spaces, zero-width spaces and non-breaking spaces.
  const std::string pdf = "แผนการใช้ จ่าย งบ\u200Bประมาณ\u00A0ประจำปี และ No  GIFT policy";
  EXPECT_TRUE(has_keyword(pdf, {"แผนการใช้จ่ายงบประมาณ"}));
  EXPECT_TRUE(has_keyword(pdf, {"ไม่มี", "no gift policy"}));
  EXPECT_FALSE(has_keyword(pdf, {"ผู้บริหาร"}));
  EXPECT_FALSE(has_keyword(pdf, {}));
  EXPECT_FALSE(has_keyword(pdf, {" ", ""})) << "a blank word matches nothing";
  // A sara am some PDFs split into nikhahit + sara aa, and Thai digits.
  EXPECT_TRUE(has_keyword("ประจ\u0E4D\u0E32ปี", {"ประจำปี"}));
  EXPECT_TRUE(has_keyword("รายงานรอบ ๖ เดือน", {"รอบ 6 เดือน"}));

  EXPECT_EQ(visible_characters("ก ข\u200Bค\u00A0\n"), 3u);
  EXPECT_EQ(visible_characters(""), 0u);

  const auto missing =
      classify_item({good_page("https://kudpladuk.go.th/o2", "รายชื่อ ปีงบประมาณ 2567")},
                    rules_2567({"ผู้บริหาร", "นายก"}));
  EXPECT_EQ(missing.verdict, Readiness::MissingKeywords);
  EXPECT_NE(missing.reason_th.find("ไม่พบคำว่า \u201Cผู้บริหาร\u201D หรือ \u201Cนายก\u201D ในหลักฐาน"),
            std::string::npos)
      << missing.reason_th;
  FetchedPage p = good_page("https://kudpladuk.go.th/o2.pdf", "ผู้ บริ หาร ปีงบ ประมาณ ๒๕๖๗");
  p.pdf = true;
  EXPECT_EQ(classify_item({p}, rules_2567({"ผู้บริหาร"})).verdict, Readiness::LikelyFine);
}

TEST(OitReadiness, EmptyEvidenceIsNoEvidence) {
  const auto r = classify_item({}, rules_2567({"โครงสร้าง"}));
  EXPECT_EQ(r.verdict, Readiness::NoEvidence);
  EXPECT_EQ(r.url, "");
  EXPECT_FALSE(r.reason_th.empty());
}

}  // namespace
}  // namespace ita
