// service/oit.hpp: the OIT steps of a round, applied to a real store (who may take them is the
// web's to check).
#include "service/oit.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "fixture.hpp"
#include "service/errors.hpp"
#include "service/rounds.hpp"
#include "service/scoring.hpp"

namespace ita::testing {
namespace {

using service::OitStep;

class OitTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped()) return;
    round_ = service::create_round(*store_, *catalog_, {agency_.id, "2564", 10, 100, false, false},
                                   admin_.id);
  }
  void step(const std::string& item, OitStep s, const std::map<std::string, std::string>& fields) {
    service::take_oit_step(*store_, edition("2564"), round_, item, s, fields, admin_.id);
  }
  OitEntry entry(const std::string& item) {
    for (const auto& e : store_->oit_entries(round_.id)) {
      if (e.item == item) return e;
    }
    return OitEntry{};
  }
  store::Round round_;
};

TEST(OitStepTest, StepsAreParsedFromTheirCodesAndBelongToTheAgencyOrTheAssessor) {
  EXPECT_EQ(service::parse_oit_step("evidence"), OitStep::Evidence);
  EXPECT_EQ(service::parse_oit_step("review"), OitStep::Review);
  EXPECT_EQ(service::parse_oit_step("appeal"), OitStep::Appeal);
  EXPECT_EQ(service::parse_oit_step("confirm"), OitStep::Confirm);
  EXPECT_FALSE(service::parse_oit_step("Review"));
  EXPECT_TRUE(service::agency_step(OitStep::Evidence));
  EXPECT_TRUE(service::agency_step(OitStep::Appeal));
  EXPECT_FALSE(service::agency_step(OitStep::Review));
  EXPECT_FALSE(service::agency_step(OitStep::Confirm));
  EXPECT_EQ(service::parse_oit_step("decline"), OitStep::Decline);
  EXPECT_TRUE(service::agency_step(OitStep::Decline));
}

TEST(OitEvidenceUrlsTest, EachLineIsOneUrlTrimmedAndBlankLinesAreSkipped) {
  EXPECT_EQ(service::parse_evidence_urls(" https://a.go.th/1\r\n\nhttps://a.go.th/2 \n\t\n"),
            (std::vector<std::string>{"https://a.go.th/1", "https://a.go.th/2"}));
  EXPECT_EQ(service::parse_evidence_urls("https://a.go.th/1"),
            std::vector<std::string>{"https://a.go.th/1"});
}

TEST(OitEvidenceUrlsTest, ABadLineIsRefusedByItsNumber) {
  std::string eleven;
  for (int i = 1; i <= 11; ++i) eleven += "https://a.go.th/" + std::to_string(i) + "\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"https://a.go.th/1\n\nftp://a.go.th/2", "ลิงก์หลักฐานบรรทัดที่ 3 ไม่ใช่ที่อยู่เว็บ"},
      {"https://a.go.th/1\nhttps://a.go.th/2\nhttps://a.go.th/1", "ลิงก์หลักฐานบรรทัดที่ 3 ซ้ำกับบรรทัดที่ 1"},
      {eleven, "ลิงก์หลักฐานบรรทัดที่ 11: ส่งลิงก์หลักฐานได้ไม่เกิน 10 ลิงก์"},
      {"https://a.go.th/" + std::string(2001, 'a'), "ลิงก์หลักฐานบรรทัดที่ 1: "},
      {" \n ", "กรุณากรอกลิงก์หลักฐาน"},
  };
  for (const auto& [text, message] : cases) {
    try {
      service::parse_evidence_urls(text);
      FAIL() << "accepted: " << text;
    } catch (const service::Invalid& e) {
      EXPECT_TRUE(std::string(e.what()).starts_with(message)) << e.what();
    }
  }
}

TEST_P(OitTest, EvidenceThenAFailedReviewThenOneAppealThenAConfirmedPass) {
  step("O1", OitStep::Evidence, {{"url", "https://agency.example/o1"}, {"note", "หน้าแรก"}});
  EXPECT_EQ(entry("O1").stage, OitStage::Submitted);
  EXPECT_EQ(entry("O1").url, "https://agency.example/o1");
  step("O1", OitStep::Review, {{"verdict", "fail"}, {"comment", "ไม่ครบ"}});
  EXPECT_EQ(entry("O1").effective_verdict(), false);
  step("O1", OitStep::Appeal, {{"explanation", "อยู่ในหน้าเดิมแล้ว"}});
  EXPECT_EQ(entry("O1").stage, OitStage::Appealed);
  EXPECT_THROW(step("O1", OitStep::Appeal, {{"explanation", "อีกครั้ง"}}), InputError) << "one appeal";
  step("O1", OitStep::Confirm, {{"verdict", "pass"}});
  EXPECT_EQ(entry("O1").stage, OitStage::Confirmed);
  EXPECT_EQ(service::oit_verdicts(*store_, round_.id), (std::map<std::string, bool>{{"O1", true}}));
}

TEST_P(OitTest, AnItemTheEditionDoesNotHaveIsNotFound) {
  try {
    step("O99", OitStep::Evidence, {{"url", "https://agency.example/x"}});
    FAIL() << "evidence for O99 was stored";
  } catch (const service::NotFound& e) {
    EXPECT_EQ(std::string(e.what()), "ไม่มีข้อ OIT \"O99\" ในชุดเกณฑ์ 2564");
  }
  EXPECT_THROW(service::oit_item(edition("2564"), "o1"), service::NotFound);
  EXPECT_EQ(service::oit_item(edition("2564"), "O1").code, "O1");
  EXPECT_TRUE(store_->oit_entries(round_.id).empty());
}

TEST_P(OitTest, AReviewWithoutAPassOrFailVerdictIsInvalid) {
  step("O2", OitStep::Evidence, {{"url", "https://agency.example/o2"}});
  for (const char* v : {"", "ผ่าน", "PASS"}) {
    try {
      step("O2", OitStep::Review, {{"verdict", v}});
      FAIL() << "verdict \"" << v << "\" was accepted";
    } catch (const service::Invalid& e) {
      EXPECT_EQ(std::string(e.what()), "verdict ต้องเป็น \"pass\" หรือ \"fail\"");
    }
  }
  EXPECT_EQ(entry("O2").stage, OitStage::Submitted);
}

TEST_P(OitTest, AStepTheWorkflowDoesNotAllowNowIsTheCoresInputError) {
  EXPECT_THROW(step("O3", OitStep::Review, {{"verdict", "pass"}}), InputError) << "no evidence yet";
  EXPECT_THROW(step("O3", OitStep::Evidence, {{"url", "javascript:alert(1)"}}), InputError);
  EXPECT_TRUE(store_->oit_entries(round_.id).empty() || entry("O3").stage == OitStage::Draft);
}

TEST_P(OitTest, AFailWithoutAReasonIsRefusedAndNothingIsStored) {
  step("O4", OitStep::Evidence, {{"url", "https://agency.example/o4"}});
  for (const char* blank : {"", "  "}) {
    try {
      step("O4", OitStep::Review, {{"verdict", "fail"}, {"comment", blank}});
      FAIL() << "a fail without a reason was stored";
    } catch (const InputError& e) {
      EXPECT_EQ(e.field(), "comment");
    }
  }
  EXPECT_EQ(entry("O4").stage, OitStage::Submitted);
  step("O4", OitStep::Review, {{"verdict", "fail"}, {"comment", "ไม่พบแผนผัง"}});
  EXPECT_EQ(entry("O4").review_comment, "ไม่พบแผนผัง");
  step("O4", OitStep::Appeal, {{"explanation", "อยู่หน้า 2"}});
  EXPECT_THROW(step("O4", OitStep::Confirm, {{"verdict", "fail"}}), InputError);
  EXPECT_EQ(entry("O4").stage, OitStage::Appealed);
}

TEST_P(OitTest, ConfirmationComesOnlyAfterTheAgencyAppealed) {
  step("O5", OitStep::Evidence, {{"url", "https://agency.example/o5"}});
  EXPECT_THROW(step("O5", OitStep::Confirm, {{"verdict", "pass"}}), InputError) << "submitted";
  EXPECT_THROW(step("O6", OitStep::Confirm, {{"verdict", "pass"}}), InputError) << "untouched";
  step("O5", OitStep::Review, {{"verdict", "fail"}, {"comment", "ไม่ครบ"}});
  try {
    step("O5", OitStep::Confirm, {{"verdict", "fail"}, {"comment", "ยืนยัน"}});
    FAIL() << "confirmed before the agency could appeal";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "stage");
  }
  EXPECT_EQ(entry("O5").stage, OitStage::Reviewed);
  EXPECT_EQ(entry("O5").effective_verdict(), false) << "an unappealed fail counts as given";
  step("O5", OitStep::Appeal, {{"explanation", "อยู่ในหน้าเดิม"}});
  step("O5", OitStep::Confirm, {{"verdict", "pass"}, {"comment", "พบแล้ว"}});
  EXPECT_EQ(entry("O5").stage, OitStage::Confirmed);
  EXPECT_EQ(entry("O5").effective_verdict(), true);
}

TEST_P(OitTest, SeveralEvidenceUrlsAreStoredInOrderAndABadLineStoresNothing) {
  step("O1", OitStep::Evidence,
       {{"urls",
         "https://agency.example/o1\nhttps://agency.example/o1/annex\n"
         "https://agency.example/o1/photo"}});
  EXPECT_EQ(entry("O1").urls(), (std::vector<std::string>{"https://agency.example/o1",
                                                          "https://agency.example/o1/annex",
                                                          "https://agency.example/o1/photo"}));
  EXPECT_EQ(entry("O1").url, "https://agency.example/o1");
  EXPECT_THROW(step("O1", OitStep::Evidence, {{"urls", "https://agency.example/x\nnot a url"}}),
               service::Invalid);
  EXPECT_EQ(entry("O1").urls().size(), 3u) << "the refused step changed nothing";
  step("O1", OitStep::Evidence, {{"url", "https://agency.example/one"}});  // the single form
  EXPECT_EQ(entry("O1").urls(), std::vector<std::string>{"https://agency.example/one"});
  EXPECT_THROW(step("O2", OitStep::Evidence, {{"urls", ""}}), service::Invalid);
  EXPECT_EQ(entry("O2").stage, OitStage::Draft);
}

TEST_P(OitTest, DecliningToAppealMakesTheFailFinalAuditedAndLeavesNoAppeal) {
  step("O3", OitStep::Evidence, {{"url", "https://agency.example/o3"}});
  EXPECT_THROW(step("O3", OitStep::Decline, {}), InputError) << "not reviewed yet";
  step("O3", OitStep::Review, {{"verdict", "fail"}, {"comment", "ไม่พบรายงาน"}});
  step("O3", OitStep::Decline, {});
  const OitEntry e = entry("O3");
  EXPECT_EQ(e.stage, OitStage::Confirmed);
  EXPECT_EQ(e.final_verdict, false);
  EXPECT_EQ(e.final_comment, kDeclinedAppealComment);
  EXPECT_EQ(service::oit_verdicts(*store_, round_.id),
            (std::map<std::string, bool>{{"O3", false}}));
  const auto log = store_->audit_log(1);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "oit.decline");
  EXPECT_EQ(log[0].user_id, admin_.id);
  EXPECT_THROW(step("O3", OitStep::Appeal, {{"explanation", "ขอชี้แจง"}}), InputError);
  EXPECT_THROW(step("O3", OitStep::Decline, {}), InputError) << "not twice";
  EXPECT_THROW(step("O3", OitStep::Confirm, {{"verdict", "pass"}}), InputError);
  // A pass has nothing to decline.
  step("O4", OitStep::Evidence, {{"url", "https://agency.example/o4"}});
  step("O4", OitStep::Review, {{"verdict", "pass"}});
  EXPECT_THROW(step("O4", OitStep::Decline, {}), InputError);
  EXPECT_EQ(entry("O4").stage, OitStage::Reviewed);
}

TEST(OitQueueFilterTest, TheFormsEmptyValuesFilterNothingAndABadAgencyIsRefused) {
  const auto none = service::oit_queue_filter({{"province", ""}, {"agency", ""}, {"edition", ""}});
  EXPECT_FALSE(none.province || none.agency_id || none.edition_id);
  const auto all =
      service::oit_queue_filter({{"province", "น่าน"}, {"agency", "12"}, {"edition", "2566"}});
  EXPECT_EQ(all.province, "น่าน");
  EXPECT_EQ(all.agency_id, 12);
  EXPECT_EQ(all.edition_id, "2566");
  for (const char* bad : {"abc", "0", "-3", "12x"}) {
    try {
      service::oit_queue_filter({{"agency", bad}});
      FAIL() << "agency \"" << bad << "\" was accepted";
    } catch (const service::Invalid& e) {
      EXPECT_EQ(std::string(e.what()), "หน่วยงานที่เลือกไม่ถูกต้อง");
    }
  }
}

TEST_P(OitTest, TheQueueHoldsWhatWaitsForAnAssessorAcrossRoundsAndFilters) {
  const auto other = store_->create_agency({0, "อบต.ทดสอบ", "แม่สาย", "เชียงราย", "อบต."}, admin_.id);
  const auto later =
      service::create_round(*store_, *catalog_, {other.id, "2566", 10, 100, false, true},
                            admin_.id);  // practice: 2566 lacks IIT/EIT
  auto take = [&](const store::Round& r, const std::string& item, OitStep s,
                  const std::map<std::string, std::string>& fields) {
    service::take_oit_step(*store_, *catalog_->find(r.edition_id), r, item, s, fields, admin_.id);
  };
  // round_ (2564, น่าน): O1 submitted, O2 appealed, O3 passed, O4 failed and not appealed.
  for (const char* item : {"O1", "O2", "O3", "O4"})
    take(round_, item, OitStep::Evidence, {{"url", "https://agency.example/x"}});
  take(round_, "O2", OitStep::Review, {{"verdict", "fail"}, {"comment", "ไม่ครบ"}});
  take(round_, "O2", OitStep::Appeal, {{"explanation", "อยู่หน้า 2"}});
  take(round_, "O3", OitStep::Review, {{"verdict", "pass"}});
  take(round_, "O4", OitStep::Review, {{"verdict", "fail"}, {"comment", "ไม่ครบ"}});
  // later (2566, เชียงราย): O2 submitted.
  take(later, "O2", OitStep::Evidence, {{"url", "https://other.example/o2"}});

  auto queue = [&](const std::map<std::string, std::string>& query) {
    std::vector<std::string> out;
    for (const auto& q : service::oit_queue(*store_, *catalog_, service::oit_queue_filter(query))) {
      EXPECT_EQ(q.item->code, q.entry.item);
      EXPECT_EQ(q.agency.id, q.round.agency_id);
      out.push_back(std::to_string(q.round.id) + "/" + q.entry.item + ":" +
                    std::string(oit_stage_code(q.entry.stage)));
    }
    return out;
  };
  const std::string r1 = std::to_string(round_.id), r2 = std::to_string(later.id);
  using Rows = std::vector<std::string>;
  EXPECT_EQ(queue({}), (Rows{r1 + "/O1:submitted", r1 + "/O2:appealed", r2 + "/O2:submitted"}));
  EXPECT_EQ(queue({{"province", "เชียงราย"}}), (Rows{r2 + "/O2:submitted"}));
  EXPECT_EQ(queue({{"agency", std::to_string(agency_.id)}}),
            (Rows{r1 + "/O1:submitted", r1 + "/O2:appealed"}));
  EXPECT_EQ(queue({{"edition", "2566"}}), (Rows{r2 + "/O2:submitted"}));
  EXPECT_EQ(queue({{"edition", "2566"}, {"province", "น่าน"}}), Rows{});
  // Taking the step empties the queue of it.
  take(round_, "O1", OitStep::Review, {{"verdict", "pass"}});
  take(round_, "O2", OitStep::Confirm, {{"verdict", "pass"}});
  EXPECT_EQ(queue({{"agency", std::to_string(agency_.id)}}), Rows{});
}

ITA_SERVICE_BACKENDS(OitTest);

}  // namespace
}  // namespace ita::testing
