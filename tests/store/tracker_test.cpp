// The measures tracker: plans and progress reports (src/store/sql_tracker.cpp), on both backends.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "store_fixture.hpp"

namespace ita::store {
namespace {

using namespace fixture;

std::string plan_text(int fiscal_year, const std::vector<std::string>& ids) {
  nlohmann::json measures = nlohmann::json::array();
  for (const auto& id : ids) measures.push_back({{"id", id}, {"title_th", "มาตรการ " + id}});
  return nlohmann::json{
      {"format", "ita-measures/1"}, {"fiscal_year", fiscal_year}, {"measures", measures}}
      .dump();
}

ProgressReport progress(const std::string& measure, int y, unsigned m, unsigned d,
                        MeasureStatus status, const std::string& text = "ดำเนินการแล้ว",
                        const std::string& url = "") {
  return {
      measure,
      std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}},
      text, url, status};
}

TEST_P(StoreTest, AMeasuresPlanIsKeptPerRoundAndCanBeReplaced) {
  const Agency a = make_agency();
  const User officer = make_user("officer@banmai.go.th", Role::Officer, a.id);
  const Round r1 = make_round(a.id, "r1");
  const Round r2 = make_round(a.id, "r2");
  EXPECT_FALSE(store_->measures_plan(r1.id));

  const std::string first = plan_text(2568, {"conflict-of-interest", "gifts"});
  store_->put_measures_plan(r1.id, first, officer.id);
  EXPECT_EQ(store_->measures_plan(r1.id), first);
  EXPECT_FALSE(store_->measures_plan(r2.id));

  const std::string second = plan_text(2568, {"conflict-of-interest", "gifts", "open-data"});
  store_->put_measures_plan(r1.id, second, officer.id);
  EXPECT_EQ(store_->measures_plan(r1.id), second);
  EXPECT_EQ(raw_count("measures_plans"), 1);

  const auto log = store_->audit_log(2);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].action, "measures.plan");
  EXPECT_EQ(log[0].target, "round:" + std::to_string(r1.id));
  EXPECT_EQ(log[0].user_id, officer.id);
  const auto detail = nlohmann::json::parse(log[0].detail);
  EXPECT_EQ(detail.at("measures"), 3);
  EXPECT_EQ(detail.at("fiscal_year"), 2568);
  EXPECT_EQ(detail.at("replaced"), true);
  EXPECT_EQ(nlohmann::json::parse(log[1].detail).at("replaced"), false);
}

TEST_P(StoreTest, ProgressReportsComeBackInTheOrderTheyWereRecorded) {
  const Agency a = make_agency();
  const User officer = make_user("officer@banmai.go.th", Role::Officer, a.id);
  const Round round = make_round(a.id, "r1");
  const Round other = make_round(a.id, "r2");
  store_->put_measures_plan(round.id, plan_text(2568, {"gifts", "open-data"}), officer.id);
  store_->put_measures_plan(other.id, plan_text(2568, {"gifts"}), officer.id);
  const std::int64_t start = unix_now();

  const auto a1 = store_->add_progress_report(
      round.id,
      progress("gifts", 2025, 3, 2, MeasureStatus::Done, "ประกาศนโยบาย No Gift Policy แล้ว 'ทุกกอง'",
               "https://banmai.go.th/ita/no-gift?year=2568&x=1"),
      officer.id);
  const auto a2 = store_->add_progress_report(
      round.id, progress("open-data", 2024, 11, 15, MeasureStatus::InProgress), officer.id);
  store_->add_progress_report(other.id, progress("gifts", 2025, 1, 1, MeasureStatus::Cancelled),
                              officer.id);
  EXPECT_GT(a2.id, a1.id);

  const auto reports = store_->progress_reports(round.id);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].id, a1.id);
  EXPECT_EQ(reports[0].round_id, round.id);
  EXPECT_EQ(reports[0].report, a1.report);
  EXPECT_EQ(reports[0].report.text_th, "ประกาศนโยบาย No Gift Policy แล้ว 'ทุกกอง'");
  EXPECT_EQ(reports[0].report.evidence_url, "https://banmai.go.th/ita/no-gift?year=2568&x=1");
  EXPECT_EQ(reports[0].report.status, MeasureStatus::Done);
  EXPECT_EQ(reports[0].user_id, officer.id);
  EXPECT_GE(reports[0].created_at, start);
  EXPECT_LE(reports[0].created_at, unix_now());
  EXPECT_EQ(reports[1].report.measure_id, "open-data");
  EXPECT_EQ(reports[1].report.date,
            (std::chrono::year_month_day{std::chrono::year{2024}, std::chrono::November,
                                         std::chrono::day{15}}));
  EXPECT_EQ(reports[1].report.evidence_url, "");
  EXPECT_EQ(store_->progress_reports(other.id).size(), 1u);
  EXPECT_TRUE(store_->progress_reports(other.id + 100).empty());

  const auto log = store_->audit_log(1);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "measures.progress");
  EXPECT_EQ(log[0].target, "round:" + std::to_string(other.id) + "/gifts");
  const auto detail = nlohmann::json::parse(log[0].detail);
  EXPECT_EQ(detail.at("status"), "cancelled");
  EXPECT_EQ(detail.at("date"), "2025-01-01");
}

TEST_P(StoreTest, RefusedTrackerWritesChangeNothing) {
  const Agency a = make_agency();
  const User officer = make_user("officer@banmai.go.th", Role::Officer, a.id);
  const Round round = make_round(a.id, "r1");
  const auto audit_rows = [&] { return raw_count("audit_log"); };
  std::int64_t before = audit_rows();

  EXPECT_THROW(store_->add_progress_report(
                   round.id, progress("gifts", 2025, 1, 1, MeasureStatus::Done), officer.id),
               Conflict)
      << "no plan yet";
  EXPECT_THROW(store_->put_measures_plan(round.id + 100, plan_text(2568, {"gifts"}), officer.id),
               Conflict);
  EXPECT_THROW(store_->put_measures_plan(round.id, plan_text(2568, {"gifts"}), officer.id + 100),
               Conflict);
  EXPECT_THROW(store_->put_measures_plan(round.id, "not json", officer.id), InputError);
  EXPECT_THROW(
      store_->put_measures_plan(round.id, R"({"measures": [{"title_th": "no id"}]})", officer.id),
      InputError);
  EXPECT_FALSE(store_->measures_plan(round.id));
  EXPECT_EQ(audit_rows(), before);

  const std::string plan = plan_text(2568, {"gifts", "open-data"});
  store_->put_measures_plan(round.id, plan, officer.id);
  store_->add_progress_report(round.id, progress("gifts", 2025, 1, 1, MeasureStatus::InProgress),
                              officer.id);
  before = audit_rows();
  EXPECT_THROW(store_->add_progress_report(
                   round.id, progress("nope", 2025, 1, 1, MeasureStatus::Done), officer.id),
               InputError);
  EXPECT_THROW(store_->add_progress_report(
                   round.id, progress("gifts", 2025, 1, 1, MeasureStatus::Done), officer.id + 100),
               Conflict);
  EXPECT_THROW(store_->add_progress_report(
                   round.id, progress("gifts", 2025, 2, 30, MeasureStatus::Done), officer.id),
               InputError);
  // A new plan may not leave out a measure that has reports; one that keeps it may replace it.
  EXPECT_THROW(store_->put_measures_plan(round.id, plan_text(2568, {"open-data"}), officer.id),
               Conflict);
  EXPECT_EQ(store_->measures_plan(round.id), plan);
  EXPECT_EQ(store_->progress_reports(round.id).size(), 1u);
  EXPECT_EQ(audit_rows(), before);
  store_->put_measures_plan(round.id, plan_text(2568, {"gifts"}), officer.id);
  EXPECT_EQ(store_->progress_reports(round.id).size(), 1u);

  // The schema itself refuses a time of day or an unknown status.
  auto db = raw();
  const std::string values = std::to_string(round.id) + ", 'gifts', '2025-01-01', 't', '', ";
  const std::string cols =
      "INSERT INTO progress_reports (round_id, measure_id, day, text, evidence_url, status, "
      "user_id, created_at) VALUES (";
  EXPECT_FALSE(db->succeeds(cols + std::to_string(round.id) +
                            ", 'gifts', '2025-01-01 10:00', 't', '', 'done', " +
                            std::to_string(officer.id) + ", 0)"));
  EXPECT_FALSE(db->succeeds(cols + values + "'finished', " + std::to_string(officer.id) + ", 0)"));
  EXPECT_TRUE(db->succeeds(cols + values + "'done', " + std::to_string(officer.id) + ", 0)"))
      << "the probe statements above are valid apart from the value under test";
}

}  // namespace
}  // namespace ita::store
