#include "core/oit_workflow.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace ita {
namespace {

OitEntry fresh() {
  OitEntry e;
  e.round_id = 1;
  e.item = "O12";
  return e;
}

TEST(OitWorkflow, PassOnFirstReview) {
  auto e = submit_evidence(fresh(), "https://a.go.th/ita/o12", "หน้า 3");
  EXPECT_EQ(e.stage, OitStage::Submitted);
  e = submit_evidence(e, "https://a.go.th/ita/o12-v2", "");  // may change until reviewed
  EXPECT_EQ(e.url, "https://a.go.th/ita/o12-v2");
  e = review(e, true, "");
  EXPECT_EQ(e.effective_verdict(), true);
  e = confirm(e, true, "ยืนยัน");
  EXPECT_EQ(e.stage, OitStage::Confirmed);
  EXPECT_EQ(e.effective_verdict(), true);
}

TEST(OitWorkflow, OneAppealWithTheSameUrl) {
  auto e = review(submit_evidence(fresh(), "https://a.go.th/x", ""), false, "ขาดรายงาน");
  EXPECT_EQ(e.effective_verdict(), false);
  EXPECT_THROW(submit_evidence(e, "https://a.go.th/other", ""), InputError);  // URL frozen
  EXPECT_THROW(appeal(e, ""), InputError);  // needs an explanation
  e = appeal(e, "รายงานอยู่ในหน้าเดิม หัวข้อที่ 2");
  EXPECT_EQ(e.stage, OitStage::Appealed);
  EXPECT_EQ(e.url, "https://a.go.th/x");
  EXPECT_THROW(appeal(e, "อีกครั้ง"), InputError);  // once
  e = confirm(e, true, "ผ่านหลังชี้แจง");
  EXPECT_EQ(e.effective_verdict(), true);
  EXPECT_THROW(confirm(e, false, ""), InputError);
}

TEST(OitWorkflow, StepsOutOfOrderAreRefused) {
  EXPECT_THROW(review(fresh(), true, ""), InputError);
  EXPECT_THROW(confirm(fresh(), true, ""), InputError);
  EXPECT_THROW(appeal(fresh(), "x"), InputError);
  const auto passed = review(submit_evidence(fresh(), "https://a.go.th/x", ""), true, "");
  EXPECT_THROW(appeal(passed, "x"), InputError);  // only a fail can be appealed
  EXPECT_THROW(review(passed, false, ""), InputError);
}

TEST(OitWorkflow, AFailNeedsItsReasonAndAPassDoesNot) {
  for (const char* blank : {"", " ", "\t\n", "\xc2\xa0 "}) {
    try {
      require_fail_reason(false, blank);
      FAIL() << "a fail without a reason was accepted: \"" << blank << "\"";
    } catch (const InputError& e) {
      EXPECT_EQ(e.field(), "comment");
    }
  }
  EXPECT_NO_THROW(require_fail_reason(false, "ไม่พบรายงานประจำปี"));
  EXPECT_NO_THROW(require_fail_reason(true, ""));
}

TEST(OitWorkflow, OnlyAnAppealedItemAwaitsConfirmation) {
  const auto submitted = submit_evidence(fresh(), "https://a.go.th/x", "");
  const auto passed = review(submitted, true, "");
  const auto failed = review(submitted, false, "ขาดรายงาน");
  const auto appealed = appeal(failed, "อยู่ในหน้าเดิม");
  for (const auto& e : {fresh(), submitted, passed, failed, confirm(appealed, true, "")}) {
    EXPECT_FALSE(awaits_confirmation(e)) << oit_stage_code(e.stage);
    try {
      require_confirmable(e);
      FAIL() << "confirmable at " << oit_stage_code(e.stage);
    } catch (const InputError& err) {
      EXPECT_EQ(err.field(), "stage");
    }
  }
  EXPECT_TRUE(awaits_confirmation(appealed));
  EXPECT_NO_THROW(require_confirmable(appealed));
}

TEST(OitWorkflow, EvidenceMustBeAWebAddress) {
  for (const char* bad : {"", "ftp://a.go.th/x", "javascript:alert(1)", "https://",
                          "https://a.go.th/a b", "http://a\x01.go.th"}) {
    EXPECT_FALSE(is_evidence_url(bad)) << bad;
    EXPECT_THROW(submit_evidence(fresh(), bad, ""), InputError) << bad;
  }
  EXPECT_TRUE(is_evidence_url("https://www.maesai.go.th/ita/2567/o1?id=3#top"));
  EXPECT_TRUE(is_evidence_url("http://a.go.th/%E0%B8%81"));
}

TEST(OitWorkflow, EvidenceIsOneToTenDistinctUrlsInTheAgencysOrder) {
  auto e = submit_evidence(
      fresh(),
      std::vector<std::string>{"https://a.go.th/1", "https://a.go.th/2", "https://a.go.th/3"}, "");
  EXPECT_EQ(e.url, "https://a.go.th/1");
  EXPECT_EQ(e.urls(), (std::vector<std::string>{"https://a.go.th/1", "https://a.go.th/2",
                                                "https://a.go.th/3"}));
  e = submit_evidence(e, "https://a.go.th/only", "");  // the single form replaces them all
  EXPECT_EQ(e.urls(), std::vector<std::string>{"https://a.go.th/only"});
  EXPECT_TRUE(fresh().urls().empty());

  std::vector<std::string> ten;
  for (int i = 1; i <= 10; ++i) ten.push_back("https://a.go.th/" + std::to_string(i));
  EXPECT_EQ(submit_evidence(fresh(), ten, "").urls().size(), 10u);
  auto eleven = ten;
  eleven.push_back("https://a.go.th/11");
  const std::vector<std::vector<std::string>> bad = {{},
                                                     eleven,
                                                     {"https://a.go.th/1", "ftp://a.go.th/2"},
                                                     {"https://a.go.th/1", "https://a.go.th/1"}};
  for (const auto& urls : bad) {
    try {
      submit_evidence(fresh(), urls, "");
      FAIL() << urls.size() << " URLs accepted";
    } catch (const InputError& err) {
      EXPECT_EQ(err.field(), "url");
    }
  }
}

TEST(OitWorkflow, TheAgencyMayDeclineToAppealAFailWhichMakesItFinal) {
  const auto failed = review(submit_evidence(fresh(), "https://a.go.th/x", ""), false, "ขาดรายงาน");
  const auto declined = decline_appeal(failed);
  EXPECT_EQ(declined.stage, OitStage::Confirmed);
  EXPECT_EQ(declined.final_verdict, false);
  EXPECT_EQ(declined.effective_verdict(), false);
  EXPECT_EQ(declined.final_comment, kDeclinedAppealComment);
  EXPECT_EQ(declined.review_comment, "ขาดรายงาน");
  EXPECT_FALSE(awaits_confirmation(declined));
  EXPECT_THROW(appeal(declined, "ขอชี้แจง"), InputError);  // no appeal after declining
}

TEST(OitWorkflow, DecliningIsOnlyAfterAFailReviewAndBeforeAnAppealAndOnce) {
  const auto submitted = submit_evidence(fresh(), "https://a.go.th/x", "");
  const auto failed = review(submitted, false, "ขาดรายงาน");
  const auto appealed = appeal(failed, "อยู่ในหน้าเดิม");
  for (const auto& e : {fresh(), submitted, review(submitted, true, ""), appealed,
                        confirm(appealed, false, "ยังไม่พบ"), decline_appeal(failed)}) {
    try {
      decline_appeal(e);
      FAIL() << "declined at " << oit_stage_code(e.stage);
    } catch (const InputError& err) {
      EXPECT_EQ(err.field(), "stage");
    }
  }
}

}  // namespace
}  // namespace ita
