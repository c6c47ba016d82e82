// service/oit_check.hpp: the OIT readiness check of a round against a fixture website on
// loopback (tests/support/fixture_site.hpp, HTTP and HTTPS with a test CA), on both backends.
// Each kind of evidence gets the verdict its rule gives; the check is kept as history; the
// assessor's verdicts are never touched. Nothing outside the machine is contacted.
#include "service/oit_check.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <map>

#include "fixture.hpp"
#include "report/render.hpp"
#include "service/calendar.hpp"
#include "service/errors.hpp"
#include "service/oit.hpp"
#include "service/responses.hpp"
#include "service/rounds.hpp"
#include "service/scoring.hpp"
#include "support/fixture_site.hpp"

namespace ita::testing {
namespace {

using namespace std::chrono_literals;

// A page of the fiscal year 2567 for an item with keyword `keyword`: enough text to judge.
std::string good_page(const std::string& keyword, const std::string& year = "2567") {
  std::string filler;
  for (int i = 0; i < 10; ++i) filler += "หน่วยงานเผยแพร่ข้อมูลนี้ต่อสาธารณะเพื่อความโปร่งใส ";
  return "<!doctype html><html lang=th><meta charset=utf-8><title>x</title><body><h1>" + keyword +
         "</h1><p>ประจำปีงบประมาณ พ.ศ. " + year + "</p><p>" + filler +
         "</p><script>var y = 'ปีงบประมาณ 2567';</script></body></html>";
}

// A real PDF, as the report library writes Thai (pango on cairo), of fiscal year `year`.
std::string previous_year_pdf(const std::string& keyword, const std::string& year = "2566") {
  report::Document doc;
  doc.title = keyword;
  doc.blocks.push_back(report::Paragraph{report::ParagraphStyle::Title, keyword});
  doc.blocks.push_back(
      report::Paragraph{report::ParagraphStyle::Body,
                        "ประจำปีงบประมาณ พ.ศ. " + year + " ข้อมูล ณ วันที่ 30 กันยายน " + year + " " +
                            "หน่วยงานเผยแพร่ข้อมูลนี้ต่อสาธารณะเพื่อความโปร่งใส ประชาชนตรวจสอบได้ทุกขั้นตอน "
                            "ตามแนวทางการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
                            "โดยเปิดเผยทั้งแผนงาน งบประมาณ และผลการดำเนินงาน ให้ประชาชนเข้าถึงได้สะดวก"});
  return report::render_pdf(doc, {});
}

class OitCheckTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped()) return;
    store_->set_agency_website(agency_.id, site_.https_url("/"), admin_.id);
    round_ = service::create_round(
        *store_, *catalog_, {agency_.id, "2567", 10, 100, false, /*practice=*/true}, admin_.id);
    settings_.fetch.allow_addresses = {"127.0.0.1", "::1"};  // the fixture site, nothing else
    settings_.fetch.extra_ca_file = site_.ca_file();
    settings_.fetch.total_timeout = 2s;
  }
  const Edition& e() { return edition("2567"); }
  std::string keyword(const std::string& item) {
    return service::oit_item(e(), item).keywords_th.at(0);
  }
  void evidence(const std::string& item, const std::vector<std::string>& urls) {
    store_->put_oit_evidence(round_.id, item, urls, "", admin_.id);
  }
  store::OitCheck check() {
    const auto id = service::begin_oit_check(*store_, round_.id, admin_.id, service::unix_now());
    return service::run_oit_check(*store_, *catalog_, id, round_.id, admin_.id, settings_);
  }
  static std::map<std::string, store::OitCheckResult> by_item(const store::OitCheck& c) {
    std::map<std::string, store::OitCheckResult> out;
    for (const auto& r : c.results) out[r.item] = r;
    return out;
  }

  FixtureSite site_;
  store::Round round_;
  service::OitCheckSettings settings_;
};

TEST_P(OitCheckTest, EachKindOfEvidenceGetsItsVerdict) {
  site_.page("/o1", "text/html; charset=utf-8", good_page(keyword("O1")));
  site_.page("/o2", "text/html; charset=utf-8", good_page(keyword("O2"), "๒๕๖๗"));
  site_.status("/o3", 404);
  site_.status("/o4", 500);
  site_.redirect("/loop-a", "/loop-b");
  site_.redirect("/loop-b", "/loop-a");
  site_.big("/o6", 50u << 20);
  site_.stall("/o7");
  site_.page("/o8", "application/pdf", previous_year_pdf(keyword("O8")));
  site_.page("/o16", "application/octet-stream", previous_year_pdf(keyword("O16"), "2567"));
  site_.page("/o10", "text/html", "<html><body></body></html>");
  site_.page("/o11", "text/html; charset=utf-8", good_page("ไม่เกี่ยวข้อง"));
  site_.page("/o12", "text/html; charset=utf-8",
             "<p>" + keyword("O12") + " ข้อมูลทั่วไป</p>" + good_page(keyword("O12"), "").substr(60));
  site_.truncated("/o13", 100000, good_page(keyword("O13")).substr(0, 300));
  evidence("O1", {site_.https_url("/o1")});
  evidence("O2", {site_.http_url("/o2")});
  evidence("O3", {site_.https_url("/o3")});
  evidence("O4", {site_.https_url("/o4")});
  evidence("O5", {site_.https_url("/loop-a")});
  evidence("O6", {site_.https_url("/o6")});
  evidence("O7", {site_.https_url("/o7")});
  evidence("O8", {site_.https_url("/o8")});
  evidence("O9", {site_.other_https_url("/o1")});
  evidence("O10", {site_.https_url("/o10")});
  evidence("O11", {site_.https_url("/o11")});
  evidence("O12", {site_.https_url("/o12")});
  evidence("O13", {site_.https_url("/o13")});
  evidence("O14", {site_.https_url("/o1"), site_.https_url("/o3")});  // one dead link of two
  evidence("O16", {site_.https_url("/o16")});

  const auto started = std::chrono::steady_clock::now();
  const store::OitCheck c = check();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  const auto r = by_item(c);
  ASSERT_EQ(c.results.size(), e().oit.items.size());
  EXPECT_EQ(r.at("O1").verdict, Readiness::LikelyFine) << r.at("O1").reason_th;
  EXPECT_EQ(r.at("O2").verdict, Readiness::LikelyFine) << r.at("O2").reason_th;
  EXPECT_EQ(r.at("O3").verdict, Readiness::ErrorStatus);
  EXPECT_EQ(r.at("O3").http_status, 404);
  EXPECT_NE(r.at("O3").reason_th.find("404"), std::string::npos) << r.at("O3").reason_th;
  EXPECT_EQ(r.at("O4").verdict, Readiness::ErrorStatus);
  EXPECT_EQ(r.at("O5").verdict, Readiness::Unreachable);
  EXPECT_EQ(r.at("O6").verdict, Readiness::TooLarge);
  EXPECT_EQ(r.at("O7").verdict, Readiness::Unreachable);
  EXPECT_EQ(r.at("O8").verdict, Readiness::BeforeFiscalYear) << r.at("O8").reason_th;
  EXPECT_EQ(r.at("O9").verdict, Readiness::OutsideDomain);
  EXPECT_EQ(r.at("O10").verdict, Readiness::TooLittleContent);
  EXPECT_EQ(r.at("O11").verdict, Readiness::MissingKeywords) << r.at("O11").reason_th;
  EXPECT_EQ(r.at("O12").verdict, Readiness::NoFiscalYear) << r.at("O12").reason_th;
  EXPECT_EQ(r.at("O13").verdict, Readiness::Unreachable);
  EXPECT_EQ(r.at("O14").verdict, Readiness::ErrorStatus);
  EXPECT_EQ(r.at("O14").url, site_.https_url("/o3"));
  EXPECT_EQ(r.at("O15").verdict, Readiness::NoEvidence);
  EXPECT_EQ(r.at("O16").verdict, Readiness::LikelyFine) << "a PDF by its magic number";
  for (const auto& result : c.results) EXPECT_FALSE(result.reason_th.empty()) << result.item;

  // 3 of 43 items pass under a sub-indicator mean: the predicted OIT score is the scorer's.
  std::vector<double> items;
  for (const auto& item : e().oit.items) {
    const bool fine = item.code == "O1" || item.code == "O2" || item.code == "O16";
    items.push_back(fine ? 100.0 : 0.0);
  }
  double sum = 0;
  for (int k : e().indicators_of(ToolId::OIT)) sum += oit_indicator_score(e(), k, items);
  ASSERT_TRUE(c.predicted_oit);
  EXPECT_NEAR(*c.predicted_oit, sum / e().indicators_of(ToolId::OIT).size(), 1e-9);
  EXPECT_GT(*c.predicted_oit, 0);
  EXPECT_FALSE(c.predicted_total);  // no respondents yet

  const auto kept = service::latest_oit_check(*store_, round_.id);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->id, c.id);
  EXPECT_EQ(kept->results.size(), c.results.size());
  EXPECT_EQ(kept->predicted_oit, std::optional<double>(std::round(*c.predicted_oit * 100) / 100));
}

TEST_P(OitCheckTest, InternalAddressesAreRefusedWithoutTheTestSwitch) {
  site_.page("/o1", "text/html; charset=utf-8", good_page(keyword("O1")));
  evidence("O1", {site_.https_url("/o1")});
  evidence("O2", {"http://169.254.169.254/latest/meta-data/"});
  evidence("O3", {"http://10.0.0.1/"});
  settings_.fetch.allow_addresses.clear();
  const auto r = by_item(check());
  EXPECT_EQ(r.at("O1").verdict, Readiness::Refused);
  EXPECT_EQ(r.at("O2").verdict, Readiness::Refused);
  EXPECT_EQ(r.at("O3").verdict, Readiness::Refused);
  EXPECT_EQ(site_.connections_total(), 0);
}

TEST_P(OitCheckTest, TheAssessorsVerdictsAreUntouched) {
  site_.status("/o1", 404);
  evidence("O1", {site_.https_url("/o1")});
  store_->review_oit(round_.id, "O1", true, "ผ่าน", admin_.id);
  check();
  EXPECT_EQ(store_->oit_entries(round_.id).at(0).verdict, true);
  EXPECT_EQ(store_->oit_entries(round_.id).at(0).stage, OitStage::Reviewed);
}

TEST_P(OitCheckTest, OneCheckOfARoundRunsAtATime) {
  const auto first = service::begin_oit_check(*store_, round_.id, admin_.id, service::unix_now());
  EXPECT_THROW(service::begin_oit_check(*store_, round_.id, admin_.id, service::unix_now()),
               service::Refused);
  // A check its server abandoned does not block the next one.
  EXPECT_NO_THROW(service::begin_oit_check(*store_, round_.id, admin_.id,
                                           service::unix_now() + service::kOitCheckAbandonedAfter));
  service::run_oit_check(*store_, *catalog_, first, round_.id, admin_.id, settings_);
  EXPECT_THROW(service::begin_oit_check(*store_, 999999, admin_.id, 0), service::NotFound);
}

TEST_P(OitCheckTest, TheRunnerChecksOnItsOwnThread) {
  site_.page("/o1", "text/html; charset=utf-8", good_page(keyword("O1")));
  evidence("O1", {site_.https_url("/o1")});
  service::OitCheckRunner runner(*store_, *catalog_, settings_);
  const auto id = runner.enqueue(round_.id, admin_.id);
  runner.wait_idle();
  const auto done = service::latest_oit_check(*store_, round_.id);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->id, id);
  EXPECT_EQ(by_item(*done).at("O1").verdict, Readiness::LikelyFine);
}

// The predicted total is what the round scores once the assessors agree with the check.
TEST_P(OitCheckTest, ThePredictedTotalIsTheScoreOfTheseVerdicts) {
  const store::Round round = service::create_round(
      *store_, *catalog_, {agency_.id, "2564", 10, 100, false, false}, admin_.id);
  const Edition& e2564 = edition("2564");
  for (ToolId tool : {ToolId::IIT, ToolId::EIT}) {
    store_->submit_response(
        service::accept_response(e2564, round, tool, complete(tool), std::nullopt));
  }
  std::string filler;
  for (int i = 0; i < 10; ++i) filler += "ข้อมูลเผยแพร่ต่อสาธารณะ ";
  // Every item's page names the item and the fiscal year; every third one is missing.
  for (const OitItem& item : e2564.oit.items) {
    const std::string path = "/2564/" + item.code;
    if (item.code.size() % 3 == 0) {
      site_.status(path, 404);
    } else {
      site_.page(path, "text/html; charset=utf-8",
                 "<p>" + item.name_th + " ปีงบประมาณ พ.ศ. 2564</p><p>" + filler + "</p>");
    }
    store_->put_oit_evidence(round.id, item.code, {site_.https_url(path)}, "", admin_.id);
  }
  const auto id = service::begin_oit_check(*store_, round.id, admin_.id, service::unix_now());
  const store::OitCheck c =
      service::run_oit_check(*store_, *catalog_, id, round.id, admin_.id, settings_);
  ASSERT_TRUE(c.predicted_total);
  int fine = 0;
  for (const auto& r : c.results) {
    fine += r.verdict == Readiness::LikelyFine;
    store_->review_oit(round.id, r.item, r.verdict == Readiness::LikelyFine, "ตามหลักฐาน",
                       admin_.id);
  }
  EXPECT_GT(fine, 0);
  EXPECT_LT(fine, static_cast<int>(c.results.size()));
  const service::RoundScore scored = service::score_round(*store_, e2564, *store_->round(round.id));
  ASSERT_TRUE(scored.result) << service::reasons(scored.missing);
  EXPECT_NEAR(*c.predicted_total, scored.result->total, 1e-9);
  EXPECT_NEAR(*c.predicted_oit, scored.result->tool_score(ToolId::OIT), 1e-9);
}

ITA_SERVICE_BACKENDS(OitCheckTest);

}  // namespace
}  // namespace ita::testing
