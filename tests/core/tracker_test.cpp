// The measures tracker: overdue logic across the fiscal-year boundary, status from progress
// reports, the 6-month and year-end summaries, and the checks of a new report.
#include "core/tracker.hpp"

#include <gtest/gtest.h>

namespace ita {
namespace {

namespace chr = std::chrono;

constexpr chr::year_month_day ymd(int y, unsigned m, unsigned d) {
  return chr::year_month_day{chr::year{y}, chr::month{m}, chr::day{d}};
}

Measure measure(std::string id, std::optional<chr::year_month_day> due,
                MeasureStatus status = MeasureStatus::Planned) {
  Measure m;
  m.id = std::move(id);
  m.title_th = "มาตรการ " + m.id;
  m.due = due;
  m.status = status;
  return m;
}

ProgressReport report(std::string id, chr::year_month_day date, MeasureStatus status,
                      std::string url = "") {
  return ProgressReport{std::move(id), date, "ดำเนินการแล้ว", std::move(url), status};
}

const FiscalYear kFy2567{2567};  // 1 Oct 2023 - 30 Sep 2024

// ---- overdue across the fiscal-year boundary ----

TEST(TrackerOverdue, DueOnTheLastDayOfTheYearIsOverdueFromTheFirstDayOfTheNext) {
  const Measure m = measure("a", ymd(2024, 9, 30));  // 30 ก.ย. 2567
  EXPECT_FALSE(is_overdue(m, kFy2567, MeasureStatus::Planned, ymd(2024, 9, 29)));
  EXPECT_FALSE(is_overdue(m, kFy2567, MeasureStatus::InProgress, ymd(2024, 9, 30)));
  ASSERT_EQ(fiscal_year_of(ymd(2024, 10, 1)), FiscalYear{2568});
  EXPECT_TRUE(is_overdue(m, kFy2567, MeasureStatus::InProgress, ymd(2024, 10, 1)));
  EXPECT_TRUE(is_overdue(m, kFy2567, MeasureStatus::Planned, ymd(2025, 3, 1)));
}

TEST(TrackerOverdue, AnAllYearMeasureIsDueOnTheLastDayOfThePlansYear) {
  const Measure m = measure("all-year", std::nullopt);
  EXPECT_EQ(deadline(m, kFy2567), ymd(2024, 9, 30));
  EXPECT_FALSE(is_overdue(m, kFy2567, MeasureStatus::Planned, ymd(2023, 10, 1)));
  EXPECT_FALSE(is_overdue(m, kFy2567, MeasureStatus::Planned, ymd(2024, 9, 30)));
  EXPECT_TRUE(is_overdue(m, kFy2567, MeasureStatus::Planned, ymd(2024, 10, 1)));
  // The same measure in the FY2568 plan runs a year longer.
  EXPECT_FALSE(is_overdue(m, FiscalYear{2568}, MeasureStatus::Planned, ymd(2024, 10, 1)));
  EXPECT_TRUE(is_overdue(m, FiscalYear{2568}, MeasureStatus::Planned, ymd(2025, 10, 1)));
}

TEST(TrackerOverdue, DoneAndCancelledAreNeverOverdue) {
  const Measure m = measure("a", ymd(2023, 12, 15));
  for (const auto day : {ymd(2023, 12, 16), ymd(2024, 10, 1), ymd(2030, 1, 1)}) {
    EXPECT_FALSE(is_overdue(m, kFy2567, MeasureStatus::Done, day));
    EXPECT_FALSE(is_overdue(m, kFy2567, MeasureStatus::Cancelled, day));
    EXPECT_TRUE(is_overdue(m, kFy2567, MeasureStatus::Planned, day));
    EXPECT_TRUE(is_overdue(m, kFy2567, MeasureStatus::InProgress, day));
  }
  EXPECT_TRUE(is_closed(MeasureStatus::Done));
  EXPECT_TRUE(is_closed(MeasureStatus::Cancelled));
  EXPECT_FALSE(is_closed(MeasureStatus::InProgress));
}

TEST(TrackerOverdue, DueAtTheHalfYearEndIsNotOverdueInTheSixMonthReport) {
  const Measure m = measure("half", fiscal_half_end(kFy2567));
  ASSERT_EQ(*m.due, ymd(2024, 3, 31));
  EXPECT_FALSE(is_overdue(m, kFy2567, MeasureStatus::InProgress, ymd(2024, 3, 31)));
  EXPECT_TRUE(is_overdue(m, kFy2567, MeasureStatus::InProgress, ymd(2024, 4, 1)));

  MeasuresPlan plan{kFy2567, {}, {m}, {}};
  const auto half = summarise_progress(plan, {}, first_half_period(kFy2567), ymd(2026, 1, 1));
  EXPECT_EQ(half.as_of, ymd(2024, 3, 31));
  EXPECT_FALSE(half.measures.at(0).overdue);
  const auto year = summarise_progress(plan, {}, year_period(kFy2567), ymd(2026, 1, 1));
  EXPECT_EQ(year.as_of, ymd(2024, 9, 30));
  EXPECT_TRUE(year.measures.at(0).overdue);
  EXPECT_EQ(year.counts.overdue, 1);
}

TEST(TrackerOverdue, StatusOnTheDayDecides) {
  const Measure m = measure("a", ymd(2024, 1, 31));
  const std::vector<ProgressReport> reports = {
      report("a", ymd(2024, 1, 10), MeasureStatus::InProgress),
      report("a", ymd(2024, 2, 20), MeasureStatus::Done)};
  // Late but done on 20 February: overdue from 1 February until then, not after.
  EXPECT_FALSE(is_overdue(m, kFy2567, status_on(m, reports, ymd(2024, 1, 31)), ymd(2024, 1, 31)));
  EXPECT_TRUE(is_overdue(m, kFy2567, status_on(m, reports, ymd(2024, 2, 19)), ymd(2024, 2, 19)));
  EXPECT_FALSE(is_overdue(m, kFy2567, status_on(m, reports, ymd(2024, 2, 20)), ymd(2024, 2, 20)));
}

// ---- status from reports ----

TEST(TrackerStatus, TheLatestReportUpToTheDayGivesTheStatus) {
  const Measure m = measure("a", std::nullopt, MeasureStatus::Planned);
  const std::vector<ProgressReport> reports = {
      report("a", ymd(2024, 2, 1), MeasureStatus::Done),  // recorded first, dated later
      report("a", ymd(2023, 11, 5), MeasureStatus::InProgress),
      report("b", ymd(2023, 12, 1), MeasureStatus::Cancelled),  // another measure
  };
  EXPECT_EQ(status_on(m, reports, ymd(2023, 11, 4)), MeasureStatus::Planned);
  EXPECT_EQ(status_on(m, reports, ymd(2023, 11, 5)), MeasureStatus::InProgress);
  EXPECT_EQ(status_on(m, reports, ymd(2024, 1, 31)), MeasureStatus::InProgress);
  EXPECT_EQ(status_on(m, reports, ymd(2024, 2, 1)), MeasureStatus::Done);
  const auto until = reports_until(reports, "a", ymd(2030, 1, 1));
  ASSERT_EQ(until.size(), 2u);
  EXPECT_EQ(until[0].date, ymd(2023, 11, 5));
  EXPECT_EQ(until[1].date, ymd(2024, 2, 1));
}

TEST(TrackerStatus, ReportsOfTheSameDayCountInTheOrderTheyWereRecorded) {
  const Measure m = measure("a", std::nullopt);
  std::vector<ProgressReport> reports = {report("a", ymd(2024, 1, 5), MeasureStatus::Done),
                                         report("a", ymd(2024, 1, 5), MeasureStatus::InProgress)};
  EXPECT_EQ(status_on(m, reports, ymd(2024, 1, 5)), MeasureStatus::InProgress);
  std::swap(reports[0], reports[1]);
  EXPECT_EQ(status_on(m, reports, ymd(2024, 1, 5)), MeasureStatus::Done);
}

TEST(TrackerStatus, WithoutReportsThePlansStatusHolds) {
  const Measure m = measure("a", ymd(2023, 10, 31), MeasureStatus::Done);
  EXPECT_EQ(status_on(m, {}, ymd(2024, 5, 1)), MeasureStatus::Done);
  EXPECT_FALSE(is_overdue(m, kFy2567, status_on(m, {}, ymd(2024, 5, 1)), ymd(2024, 5, 1)));
}

TEST(TrackerStatus, ThaiNamesOfTheStatuses) {
  EXPECT_EQ(measure_status_th(MeasureStatus::Planned), "ยังไม่ดำเนินการ");
  EXPECT_EQ(measure_status_th(MeasureStatus::InProgress), "อยู่ระหว่างดำเนินการ");
  EXPECT_EQ(measure_status_th(MeasureStatus::Done), "ดำเนินการแล้วเสร็จ");
  EXPECT_EQ(measure_status_th(MeasureStatus::Cancelled), "ยกเลิก");
}

// ---- periods and summaries ----

TEST(TrackerPeriod, SixMonthsAndYearOfTheFiscalYear) {
  const Period half = first_half_period(kFy2567);
  EXPECT_EQ(half.kind, PeriodKind::FirstHalf);
  EXPECT_EQ(half.first_day, ymd(2023, 10, 1));
  EXPECT_EQ(half.last_day, ymd(2024, 3, 31));
  EXPECT_TRUE(half.contains(ymd(2024, 3, 31)));
  EXPECT_FALSE(half.contains(ymd(2024, 4, 1)));
  EXPECT_FALSE(half.contains(ymd(2023, 9, 30)));
  const Period year = year_period(kFy2567);
  EXPECT_EQ(year.kind, PeriodKind::Year);
  EXPECT_EQ(year.first_day, ymd(2023, 10, 1));
  EXPECT_EQ(year.last_day, ymd(2024, 9, 30));
  // A leap year's February does not move the half-year end.
  EXPECT_EQ(first_half_period(FiscalYear{2568}).last_day, ymd(2025, 3, 31));
}

MeasuresPlan sample_plan() {
  MeasuresPlan plan;
  plan.fiscal_year = kFy2567;
  plan.measures = {measure("early", ymd(2023, 12, 31)), measure("half", ymd(2024, 3, 31)),
                   measure("all-year", std::nullopt), measure("dropped", ymd(2024, 6, 30))};
  return plan;
}

std::vector<ProgressReport> sample_reports() {
  return {
      report("early", ymd(2023, 11, 20), MeasureStatus::InProgress, "https://a.go.th/e1"),
      report("half", ymd(2024, 3, 31), MeasureStatus::Done, "https://a.go.th/h1"),
      report("early", ymd(2024, 4, 2), MeasureStatus::Done, "https://a.go.th/e2"),
      report("all-year", ymd(2024, 1, 15), MeasureStatus::InProgress, "https://a.go.th/y1"),
      report("all-year", ymd(2024, 6, 1), MeasureStatus::InProgress,
             "https://a.go.th/y1"),  // same link again
      report("all-year", ymd(2024, 10, 3), MeasureStatus::Done,
             "https://a.go.th/y2"),  // after the year
      report("dropped", ymd(2024, 5, 5), MeasureStatus::Cancelled),
      report("not-in-plan", ymd(2024, 1, 1), MeasureStatus::Done, "https://a.go.th/x"),
  };
}

TEST(TrackerSummary, SixMonthReportTakesOnlyReportsUpToTheThirtyFirstOfMarch) {
  const auto s = summarise_progress(sample_plan(), sample_reports(), first_half_period(kFy2567),
                                    ymd(2024, 11, 1));
  EXPECT_EQ(s.as_of, ymd(2024, 3, 31));
  ASSERT_EQ(s.measures.size(), 4u);
  const auto& early = s.measures[0];
  EXPECT_EQ(early.measure.id, "early");
  EXPECT_EQ(early.status, MeasureStatus::InProgress);  // done only on 2 April
  EXPECT_TRUE(early.overdue);
  ASSERT_EQ(early.reports.size(), 1u);
  EXPECT_EQ(early.evidence_urls, std::vector<std::string>{"https://a.go.th/e1"});
  ASSERT_TRUE(early.latest);
  EXPECT_EQ(early.latest->date, ymd(2023, 11, 20));

  const auto& half = s.measures[1];
  EXPECT_EQ(half.status, MeasureStatus::Done);  // a report on the last day counts
  EXPECT_FALSE(half.overdue);
  EXPECT_EQ(half.evidence_urls, std::vector<std::string>{"https://a.go.th/h1"});

  EXPECT_EQ(s.measures[2].status, MeasureStatus::InProgress);
  EXPECT_FALSE(s.measures[2].overdue);
  EXPECT_EQ(s.measures[3].status, MeasureStatus::Planned);
  EXPECT_FALSE(s.measures[3].latest);
  EXPECT_TRUE(s.measures[3].reports.empty());
  EXPECT_EQ(s.counts, (StatusCounts{1, 2, 1, 0, 1}));
  EXPECT_EQ(s.counts.total(), 4);
}

TEST(TrackerSummary, YearEndReportStopsAtTheThirtiethOfSeptember) {
  const auto s =
      summarise_progress(sample_plan(), sample_reports(), year_period(kFy2567), ymd(2025, 2, 1));
  EXPECT_EQ(s.as_of, ymd(2024, 9, 30));
  EXPECT_EQ(s.measures[0].status, MeasureStatus::Done);
  EXPECT_FALSE(s.measures[0].overdue) << "finished late, but finished";
  EXPECT_EQ(s.measures[0].evidence_urls,
            (std::vector<std::string>{"https://a.go.th/e1", "https://a.go.th/e2"}));
  const auto& all_year = s.measures[2];
  EXPECT_EQ(all_year.status, MeasureStatus::InProgress)
      << "the October report belongs to the next year";
  EXPECT_FALSE(all_year.overdue) << "30 September is still inside the year";
  ASSERT_EQ(all_year.reports.size(), 2u);
  EXPECT_EQ(all_year.evidence_urls, std::vector<std::string>{"https://a.go.th/y1"});
  EXPECT_EQ(s.measures[3].status, MeasureStatus::Cancelled);
  EXPECT_FALSE(s.measures[3].overdue);
  EXPECT_EQ(s.counts, (StatusCounts{0, 1, 2, 1, 0}));
}

TEST(TrackerSummary, WhileThePeriodRunsTheSummaryIsAsOfToday) {
  const auto s =
      summarise_progress(sample_plan(), sample_reports(), year_period(kFy2567), ymd(2024, 1, 31));
  EXPECT_EQ(s.as_of, ymd(2024, 1, 31));
  EXPECT_TRUE(s.measures[0].overdue);  // due 31 December, in progress
  EXPECT_FALSE(s.measures[1].overdue);
  EXPECT_EQ(s.measures[2].reports.size(), 1u);
  EXPECT_EQ(s.counts.overdue, 1);
  EXPECT_EQ(s.counts.planned, 2);
}

// ---- checks of a new report ----

TEST(TrackerCheck, AGoodReportHasNoProblems) {
  const auto plan = sample_plan();
  EXPECT_TRUE(check_progress_report(
                  plan,
                  report("half", ymd(2024, 3, 1), MeasureStatus::InProgress, "https://a.go.th/x"),
                  ymd(2024, 3, 1))
                  .empty());
  EXPECT_TRUE(check_progress_report(plan, report("half", ymd(2023, 10, 1), MeasureStatus::Done),
                                    ymd(2025, 1, 1))
                  .empty());
}

TEST(TrackerCheck, ProblemsNameTheirField) {
  const auto plan = sample_plan();
  auto fields = [&](const ProgressReport& r) {
    std::vector<std::string> out;
    for (const auto& p : check_progress_report(plan, r, ymd(2024, 3, 1))) out.push_back(p.path);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(fields(report("nope", ymd(2024, 1, 1), MeasureStatus::Done)), V{"measure_id"});
  EXPECT_EQ(fields(report("half", ymd(2023, 9, 30), MeasureStatus::Done)),
            V{"date"});  // before the year
  EXPECT_EQ(fields(report("half", ymd(2024, 3, 2), MeasureStatus::Done)), V{"date"});  // tomorrow
  EXPECT_EQ(fields(report("half", ymd(2024, 2, 30), MeasureStatus::Done)),
            V{"date"});  // no such day
  EXPECT_EQ(fields(report("half", ymd(2024, 1, 1), MeasureStatus::Done, "javascript:alert(1)")),
            V{"evidence_url"});
  EXPECT_EQ(fields(report("half", ymd(2024, 1, 1), MeasureStatus::Done, "ftp://a.go.th/x")),
            V{"evidence_url"});
  ProgressReport blank = report("half", ymd(2024, 1, 1), MeasureStatus::Done);
  blank.text_th = " \n ";
  EXPECT_EQ(fields(blank), V{"text_th"});
}

TEST(TrackerCheck, FindMeasureById) {
  const auto plan = sample_plan();
  ASSERT_NE(find_measure(plan, "half"), nullptr);
  EXPECT_EQ(find_measure(plan, "half")->due, ymd(2024, 3, 31));
  EXPECT_EQ(find_measure(plan, "Half"), nullptr);
}

}  // namespace
}  // namespace ita
