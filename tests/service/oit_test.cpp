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

ITA_SERVICE_BACKENDS(OitTest);

}  // namespace
}  // namespace ita::testing
