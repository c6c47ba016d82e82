// service/tracker.hpp: a round's measures plan and progress reports on a real store, with the
// plan format of report/measures_json.hpp as the web passes it in.
#include "service/tracker.hpp"

#include <gtest/gtest.h>

#include "core/thai.hpp"
#include "service/errors.hpp"
#include "service/rounds.hpp"
#include "tracker_fixture.hpp"

namespace ita::testing {
namespace {

namespace chr = std::chrono;

TEST_P(TrackerTest, ARoundWithoutAPlanHasNothingToTrack) {
  EXPECT_FALSE(tracker_->plan(filled_.round.id));
  EXPECT_FALSE(tracker_->load(filled_.round.id));
  try {
    tracker_->need(filled_.round.id);
    FAIL() << "a plan was found";
  } catch (const service::NotFound& e) {
    EXPECT_EQ(std::string(e.what()), "รอบการประเมินนี้ยังไม่มีแผนมาตรการ");
  }
  EXPECT_THROW(
      tracker_->report_progress(filled_.round, "m1", {"", "x", "", "done"}, day(3, 1), admin_.id),
      service::NotFound);
}

TEST_P(TrackerTest, APlanIsMadeOnceAndOnlyFromAResult) {
  const auto empty = service::create_round(*store_, *catalog_,
                                           {agency_.id, "2564", 10, 100, false, false}, admin_.id);
  try {
    tracker_->start(edition("2564"), empty, admin_.id);
    FAIL() << "a plan without a result was made";
  } catch (const service::Refused& e) {
    EXPECT_EQ(std::string(e.what()).rfind(
                  "ยังจัดทำแผนมาตรการไม่ได้ เพราะยังคำนวณผลการประเมินไม่ได้: ยังไม่มีผู้ตอบแบบวัด IIT", 0),
              0U)
        << e.what();
  }
  EXPECT_FALSE(tracker_->plan(empty.id));

  const MeasuresPlan plan = tracker_->start(edition("2564"), filled_.round, admin_.id);
  EXPECT_FALSE(plan.measures.empty());
  EXPECT_EQ(plan.fiscal_year.be, 2565) << "the year after the assessed one";
  const auto saved = tracker_->plan(filled_.round.id);
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->measures.size(), plan.measures.size());
  try {
    tracker_->start(edition("2564"), filled_.round, admin_.id);
    FAIL() << "a second plan was made";
  } catch (const service::Refused& e) {
    EXPECT_EQ(std::string(e.what()), "รอบการประเมินนี้มีแผนมาตรการแล้ว");
  }
}

TEST_P(TrackerTest, AProgressReportIsCheckedThenRecordedWithTheMeasuresNewState) {
  const MeasuresPlan plan = tracker_->start(edition("2564"), filled_.round, admin_.id);
  const std::string id = plan.measures.front().id;
  EXPECT_THROW(tracker_->report_progress(filled_.round, "no-such-measure", {"", "x", "", "done"},
                                         day(3, 1), admin_.id),
               service::NotFound);
  for (const service::ProgressInput& bad :
       {service::ProgressInput{"2565-03-01", "x", "", "done"},  // a BE date
        service::ProgressInput{"", "x", "", "finished"}, service::ProgressInput{"", "", "", "done"},
        service::ProgressInput{"", "x", "ftp://agency.example/x", "done"}}) {
    EXPECT_THROW(tracker_->report_progress(filled_.round, id, bad, day(3, 1), admin_.id),
                 service::Invalid)
        << bad.date << " " << bad.status << " " << bad.text << " " << bad.evidence_url;
  }
  EXPECT_TRUE(store_->progress_reports(filled_.round.id).empty());

  const auto recorded = tracker_->report_progress(
      filled_.round, id, {"  ", "  ประชุมชี้แจงแล้ว ", " https://agency.example/r1 ", "in_progress"},
      day(3, 1), admin_.id);
  EXPECT_EQ(recorded.stored.report.date, day(3, 1)) << "no date is today";
  EXPECT_EQ(recorded.stored.report.text_th, "ประชุมชี้แจงแล้ว");
  EXPECT_EQ(recorded.stored.report.evidence_url, "https://agency.example/r1");
  EXPECT_EQ(recorded.state.status, MeasureStatus::InProgress);
  const service::Tracked t = tracker_->need(filled_.round.id);
  ASSERT_EQ(t.reports.size(), 1U);
  EXPECT_EQ(service::state_on(t, plan.measures.front(), day(3, 1)).status,
            MeasureStatus::InProgress);
  EXPECT_EQ(service::state_on(t, plan.measures.front(), day(2, 1)).status,
            plan.measures.front().status)
      << "before the report, the plan's own status";
}

TEST_P(TrackerTest, AnEditedPlanIsCheckedAgainstTheEditionBeforeItReplacesTheOldOne) {
  MeasuresPlan plan = tracker_->start(edition("2564"), filled_.round, admin_.id);
  MeasuresPlan bad = plan;
  bad.measures.front().due = chr::year_month_day{chr::year(2030), chr::month(1), chr::day(1)};
  try {
    tracker_->replace(edition("2564"), filled_.round, bad, admin_.id);
    FAIL() << "a due date outside the fiscal year was accepted";
  } catch (const service::Invalid& e) {
    EXPECT_EQ(std::string(e.what()).rfind("/measures/0/due: ", 0), 0U) << e.what();
  }
  EXPECT_FALSE(tracker_->plan(filled_.round.id)->measures.front().due == bad.measures.front().due);
  plan.measures.front().title_th = "มาตรการที่แก้ไขแล้ว";
  const service::Tracked after = tracker_->replace(edition("2564"), filled_.round, plan, admin_.id);
  EXPECT_EQ(after.plan.measures.front().title_th, "มาตรการที่แก้ไขแล้ว");
  EXPECT_EQ(tracker_->plan(filled_.round.id)->measures.front().title_th, "มาตรการที่แก้ไขแล้ว");
}

ITA_SERVICE_BACKENDS(TrackerTest);

}  // namespace
}  // namespace ita::testing
