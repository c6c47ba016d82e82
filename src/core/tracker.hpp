#pragma once
// The measures tracker: progress reports on the measures of a plan (core/measures.hpp), which
// measures are overdue, and the summaries behind the 6-month progress report and the year-end
// report (next year's OIT evidence for the measures items). Value types and pure functions only.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/measures.hpp"
#include "core/thai.hpp"

namespace ita {

// One report on a measure: what was done by `date`, with an optional link to the evidence on the
// agency's website, and the measure's status after it.
struct ProgressReport {
  std::string measure_id;
  std::chrono::year_month_day date;
  std::string text_th;
  std::string evidence_url;  // empty = none; otherwise an http(s) address
  MeasureStatus status = MeasureStatus::InProgress;

  bool operator==(const ProgressReport&) const = default;
};

// "ยังไม่ดำเนินการ", "อยู่ระหว่างดำเนินการ", "ดำเนินการแล้วเสร็จ", "ยกเลิก".
std::string_view measure_status_th(MeasureStatus s);

// Done and Cancelled measures are closed: they are never overdue.
bool is_closed(MeasureStatus s);

// The last day a measure may be finished: its due date, or, for a measure without one (all year
// round), the last day of the plan's fiscal year (30 September).
std::chrono::year_month_day deadline(const Measure& m, FiscalYear plan_year);

// Overdue on `day`: not closed (with `status` its status on that day) and `day` after the
// deadline. A measure due 30 September 2024 is not overdue that day, and overdue from
// 1 October 2024 (already the next fiscal year).
bool is_overdue(const Measure& m, FiscalYear plan_year, MeasureStatus status,
                std::chrono::year_month_day day);

// The reports of measure `measure_id` dated on or before `day`, oldest first; reports of the
// same date keep their given order (the order they were recorded in).
std::vector<ProgressReport> reports_until(const std::vector<ProgressReport>& reports,
                                          const std::string& measure_id,
                                          std::chrono::year_month_day day);

// The measure's status on `day`: that of its latest report dated on or before `day`, else the
// plan's own status.
MeasureStatus status_on(const Measure& m, const std::vector<ProgressReport>& reports,
                        std::chrono::year_month_day day);

// ---- Reporting periods --------------------------------------------------------------------

enum class PeriodKind {
  FirstHalf,  // the 6-month progress report: 1 October - 31 March
  Year,       // the year-end report: 1 October - 30 September
};

struct Period {
  PeriodKind kind = PeriodKind::Year;
  FiscalYear fiscal_year;
  std::chrono::year_month_day first_day;
  std::chrono::year_month_day last_day;

  bool contains(std::chrono::year_month_day d) const { return first_day <= d && d <= last_day; }
  bool operator==(const Period&) const = default;
};

Period first_half_period(FiscalYear fy);
Period year_period(FiscalYear fy);

// ---- Summaries ----------------------------------------------------------------------------

// One measure in a period report.
struct MeasureProgress {
  Measure measure;
  std::chrono::year_month_day deadline;
  MeasureStatus status = MeasureStatus::Planned;  // on the summary's `as_of` day
  bool overdue = false;                           // on the summary's `as_of` day
  std::vector<ProgressReport> reports;     // dated inside the period up to `as_of`, oldest first
  std::optional<ProgressReport> latest;    // the latest report up to `as_of` (of any date)
  std::vector<std::string> evidence_urls;  // of `reports`, each once, in order
};

struct StatusCounts {
  int planned = 0;
  int in_progress = 0;
  int done = 0;
  int cancelled = 0;
  int overdue = 0;  // a subset of planned + in_progress

  int total() const { return planned + in_progress + done + cancelled; }
  // Counts one measure of `status`, and as overdue when `is_overdue`.
  void add(MeasureStatus status, bool is_overdue);
  bool operator==(const StatusCounts&) const = default;
};

struct ProgressSummary {
  Period period;
  // The day the summary describes: the period's last day, or `today` while the period runs.
  std::chrono::year_month_day as_of;
  std::vector<MeasureProgress> measures;  // in plan order
  StatusCounts counts;
};

// Summarises a plan and its progress reports for a period, as of min(period's last day, today):
// only reports dated up to that day count. Reports of measures not in the plan are ignored.
ProgressSummary summarise_progress(const MeasuresPlan& plan,
                                   const std::vector<ProgressReport>& reports, const Period& period,
                                   std::chrono::year_month_day today);

// Checks a new report against the plan: a measure of the plan, a date from the first day of the
// plan's fiscal year up to `today`, a non-empty text, an http(s) evidence URL or none. Problems
// are located by field name ("measure_id", "date", "text_th", "evidence_url").
std::vector<PlanProblem> check_progress_report(const MeasuresPlan& plan,
                                               const ProgressReport& report,
                                               std::chrono::year_month_day today);

// The measure of `plan` with this id, or nullptr.
const Measure* find_measure(const MeasuresPlan& plan, const std::string& id);

}  // namespace ita
