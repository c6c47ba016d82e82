// service/plan_editing.hpp through service::Tracker: the measures page's plan editor (a measure
// edited, added, removed; the signature block) on a real store, without HTTP.
#include "service/plan_editing.hpp"

#include <gtest/gtest.h>

#include "core/thai.hpp"
#include "service/errors.hpp"
#include "tracker_fixture.hpp"

namespace ita::testing {
namespace {

namespace chr = std::chrono;

class PlanEditing : public TrackerTest {
 protected:
  void SetUp() override {
    TrackerTest::SetUp();
    if (IsSkipped()) return;
    plan_ = tracker_->start(edition("2564"), filled_.round, admin_.id);
    ASSERT_GE(plan_.measures.size(), 2U);
  }
  // The plan as stored now.
  MeasuresPlan stored() { return *tracker_->plan(filled_.round.id); }
  // Expects `act` to throw E with a message starting with `prefix`, and the plan unchanged.
  template <typename E, typename F>
  void refused(F act, const std::string& prefix) {
    const MeasuresPlan before = stored();
    try {
      act();
      FAIL() << "accepted; expected " << prefix;
    } catch (const E& e) {
      EXPECT_EQ(std::string(e.what()).rfind(prefix, 0), 0U) << e.what();
    }
    EXPECT_EQ(stored(), before) << "nothing stored on a refusal";
  }
  MeasuresPlan plan_;
};

TEST_P(PlanEditing, AMeasureIsEditedFromTheFormWithABuddhistEraDueDate) {
  const std::string id = plan_.measures[1].id;
  const service::MeasureInput in{"  จัดอบรมเรื่องการรับของขวัญ ",
                                 "ร่างหลักสูตร\r\n\r\n  อบรมเจ้าหน้าที่  \nสรุปผล",
                                 " สำนักปลัด ",
                                 "รายงานผู้บริหาร",
                                 {9, 1, 9},
                                 "31/03/2565"};
  const service::Tracked after =
      tracker_->edit_measure(edition("2564"), filled_.round, id, in, admin_.id);
  const Measure& m = after.plan.measures[1];
  EXPECT_EQ(m.id, id) << "the id stays";
  EXPECT_EQ(m.title_th, "จัดอบรมเรื่องการรับของขวัญ");
  EXPECT_EQ(m.steps_th, (std::vector<std::string>{"ร่างหลักสูตร", "อบรมเจ้าหน้าที่", "สรุปผล"}));
  EXPECT_EQ(m.responsible_th, "สำนักปลัด");
  EXPECT_EQ(m.monitoring_th, "รายงานผู้บริหาร");
  EXPECT_EQ(m.indicators, (std::vector<int>{1, 9}));
  EXPECT_EQ(m.due, (chr::year_month_day{chr::year(2022), chr::month(3), chr::day(31)}));
  EXPECT_EQ(stored().measures[1], m);
  EXPECT_EQ(stored().measures[0], plan_.measures[0]) << "the others are untouched";

  service::MeasureInput all_year = in;
  all_year.due = "  ";
  EXPECT_FALSE(tracker_->edit_measure(edition("2564"), filled_.round, id, all_year, admin_.id)
                   .plan.measures[1]
                   .due)
      << "no date: all the fiscal year";
}

TEST_P(PlanEditing, BadInputIsRefusedInThaiAndNothingIsStored) {
  const std::string id = plan_.measures[0].id;
  const Edition& e = edition("2564");
  service::MeasureInput in{"มาตรการ", "", "", "", {1}, "31/03/2565"};
  auto with = [&](auto change) {
    service::MeasureInput x = in;
    change(x);
    return x;
  };
  const auto bad_date = with([](auto& x) { x.due = "31/02/2565"; });
  refused<service::Invalid>(
      [&] { tracker_->edit_measure(e, filled_.round, id, bad_date, admin_.id); },
      "กำหนดเสร็จต้องเป็นวันที่จริงในรูปแบบ วัน/เดือน/ปี พ.ศ.");
  const auto next_year = with([](auto& x) { x.due = "1/10/2565"; });
  refused<service::Invalid>(
      [&] { tracker_->edit_measure(e, filled_.round, id, next_year, admin_.id); },
      "กำหนดเสร็จต้องอยู่ในปีงบประมาณ พ.ศ. 2565");
  const auto no_title = with([](auto& x) { x.title = " \n "; });
  refused<service::Invalid>([&] { tracker_->add_measure(e, filled_.round, no_title, admin_.id); },
                            "กรุณากรอกมาตรการ/แนวทาง");
  const auto control = with([](auto& x) { x.responsible = "กอง\x07คลัง"; });
  refused<service::Invalid>([&] { tracker_->add_measure(e, filled_.round, control, admin_.id); },
                            "ผู้รับผิดชอบ: ");
  const auto unknown = with([](auto& x) { x.indicators = {99}; });
  refused<service::Invalid>([&] { tracker_->add_measure(e, filled_.round, unknown, admin_.id); },
                            "ไม่มีตัวชี้วัดที่ 99");
  refused<service::NotFound>(
      [&] { tracker_->edit_measure(e, filled_.round, "no-such", in, admin_.id); }, "ไม่พบมาตรการ");
  refused<service::Invalid>(
      [&] {
        tracker_->sign(e, filled_.round, {"นายก", "นายกเทศมนตรี", "30/09/2565x"}, admin_.id);
      },
      "วันที่ประกาศต้องเป็นวันที่จริง");
  refused<service::Invalid>(
      [&] {
        tracker_->sign(e, filled_.round, {"นาย\nก", "", ""}, admin_.id);
      },
      "ชื่อผู้ลงนาม: ");
}

TEST_P(PlanEditing, ANewMeasureGetsTheFirstFreeId) {
  const Edition& e = edition("2564");
  const service::MeasureInput in{"มาตรการใหม่", "ขั้นที่ ๑", "กองคลัง", "", {}, ""};
  const service::Tracked first = tracker_->add_measure(e, filled_.round, in, admin_.id);
  ASSERT_EQ(first.plan.measures.size(), plan_.measures.size() + 1);
  const Measure& added = first.plan.measures.back();
  EXPECT_EQ(added.id, "m-1");
  EXPECT_EQ(added.title_th, "มาตรการใหม่");
  EXPECT_EQ(added.status, MeasureStatus::Planned);
  EXPECT_FALSE(added.due);
  EXPECT_EQ(tracker_->add_measure(e, filled_.round, in, admin_.id).plan.measures.back().id, "m-2");
  tracker_->remove_measure(e, filled_.round, "m-1", true, admin_.id);
  EXPECT_EQ(tracker_->add_measure(e, filled_.round, in, admin_.id).plan.measures.back().id, "m-1")
      << "a freed id is used again: no report can point at a removed measure";
}

TEST_P(PlanEditing, AMeasureIsRemovedOnlyWhenConfirmedAndWithoutProgressReports) {
  const Edition& e = edition("2564");
  const std::string kept = plan_.measures[0].id, gone = plan_.measures[1].id;
  refused<service::Invalid>(
      [&] { tracker_->remove_measure(e, filled_.round, gone, false, admin_.id); },
      "กรุณาทำเครื่องหมายยืนยันการลบมาตรการ");
  tracker_->report_progress(filled_.round, kept, {"", "เริ่มแล้ว", "", "in_progress"}, day(3, 1),
                            admin_.id);
  refused<service::Refused>(
      [&] { tracker_->remove_measure(e, filled_.round, kept, true, admin_.id); },
      "ลบมาตรการ \"" + plan_.measures[0].title_th + "\" ไม่ได้ เพราะมีรายงานความก้าวหน้าแล้ว");
  const service::Tracked after = tracker_->remove_measure(e, filled_.round, gone, true, admin_.id);
  EXPECT_EQ(after.plan.measures.size(), plan_.measures.size() - 1);
  EXPECT_EQ(find_measure(after.plan, gone), nullptr);
  EXPECT_NE(find_measure(stored(), kept), nullptr);
  EXPECT_EQ(after.reports.size(), 1U);
}

TEST_P(PlanEditing, TheSignatureIsSavedWithABuddhistEraDateAndCheckedByReplace) {
  const Edition& e = edition("2564");
  const service::Tracked after =
      tracker_->sign(e, filled_.round, {" นายสมชาย ใจดี ", "นายกเทศมนตรี", "๑/๑๐/๒๕๖๔"}, admin_.id);
  EXPECT_EQ(after.plan.signature.name_th, "นายสมชาย ใจดี");
  EXPECT_EQ(after.plan.signature.position_th, "นายกเทศมนตรี");
  EXPECT_EQ(after.plan.signature.date,
            (chr::year_month_day{chr::year(2021), chr::month(10), chr::day(1)}));
  EXPECT_EQ(stored().signature, after.plan.signature);
  EXPECT_EQ(tracker_->sign(e, filled_.round, {"", "", ""}, admin_.id).plan.signature,
            PlanSignature{})
      << "emptied: printed as dotted lines";

  // A plan put whole (the API) follows the same text rules for its signature.
  MeasuresPlan bad = stored();
  bad.signature.position_th = std::string(501, 'x');
  refused<service::Invalid>([&] { tracker_->replace(e, filled_.round, bad, admin_.id); },
                            "/signature/position_th ตำแหน่งผู้ลงนาม: ");
}

TEST(PlanEditingRules, ProgressDatesFromTheFormAreBuddhistEra) {
  MeasuresPlan plan;
  plan.fiscal_year = FiscalYear{2565};
  plan.measures.push_back(Measure{"a", "ก", {}, "", "", {}, std::nullopt, MeasureStatus::Planned});
  const chr::year_month_day today{chr::year(2022), chr::month(5), chr::day(1)};
  const auto r = service::progress_from(plan, "a", {"10/01/2565", "x", "", "done", true}, today);
  EXPECT_EQ(r.date, (chr::year_month_day{chr::year(2022), chr::month(1), chr::day(10)}));
  try {
    service::progress_from(plan, "a", {"31/02/2565", "x", "", "done", true}, today);
    FAIL() << "an unreal date was accepted";
  } catch (const service::Invalid& e) {
    EXPECT_EQ(std::string(e.what()).rfind("วันที่ต้องเป็นวันที่จริงในรูปแบบ วัน/เดือน/ปี พ.ศ.", 0), 0U)
        << e.what();
  }
  EXPECT_THROW(service::progress_from(plan, "a", {"10/01/2565", "x", "", "done"}, today),
               service::Invalid)
      << "the API's dates stay YYYY-MM-DD";
}

ITA_SERVICE_BACKENDS(PlanEditing);

}  // namespace
}  // namespace ita::testing
