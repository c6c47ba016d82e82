#include "core/tracker.hpp"

#include <algorithm>

#include "core/oit_workflow.hpp"

namespace ita {

namespace chr = std::chrono;

std::string_view measure_status_th(MeasureStatus s) {
  switch (s) {
    case MeasureStatus::Planned:
      return "ยังไม่ดำเนินการ";
    case MeasureStatus::InProgress:
      return "อยู่ระหว่างดำเนินการ";
    case MeasureStatus::Done:
      return "ดำเนินการแล้วเสร็จ";
    case MeasureStatus::Cancelled:
      return "ยกเลิก";
  }
  return "";
}

bool is_closed(MeasureStatus s) {
  return s == MeasureStatus::Done || s == MeasureStatus::Cancelled;
}

chr::year_month_day deadline(const Measure& m, FiscalYear plan_year) {
  return m.due ? *m.due : plan_year.last_day();
}

bool is_overdue(const Measure& m, FiscalYear plan_year, MeasureStatus status,
                chr::year_month_day day) {
  return !is_closed(status) && day > deadline(m, plan_year);
}

std::vector<ProgressReport> reports_until(const std::vector<ProgressReport>& reports,
                                          const std::string& measure_id, chr::year_month_day day) {
  std::vector<ProgressReport> out;
  for (const auto& r : reports) {
    if (r.measure_id == measure_id && r.date <= day) out.push_back(r);
  }
  std::stable_sort(out.begin(), out.end(), [](const ProgressReport& a, const ProgressReport& b) {
    return a.date < b.date;
  });
  return out;
}

MeasureStatus status_on(const Measure& m, const std::vector<ProgressReport>& reports,
                        chr::year_month_day day) {
  const auto mine = reports_until(reports, m.id, day);
  return mine.empty() ? m.status : mine.back().status;
}

Period first_half_period(FiscalYear fy) {
  return Period{PeriodKind::FirstHalf, fy, fy.first_day(), fiscal_half_end(fy)};
}

Period year_period(FiscalYear fy) {
  return Period{PeriodKind::Year, fy, fy.first_day(), fy.last_day()};
}

ProgressSummary summarise_progress(const MeasuresPlan& plan,
                                   const std::vector<ProgressReport>& reports, const Period& period,
                                   chr::year_month_day today) {
  ProgressSummary s;
  s.period = period;
  s.as_of = std::min(period.last_day, today);
  for (const Measure& m : plan.measures) {
    MeasureProgress p;
    p.measure = m;
    p.deadline = deadline(m, plan.fiscal_year);
    const auto mine = reports_until(reports, m.id, s.as_of);
    p.status = mine.empty() ? m.status : mine.back().status;
    p.overdue = is_overdue(m, plan.fiscal_year, p.status, s.as_of);
    if (!mine.empty()) p.latest = mine.back();
    for (const auto& r : mine) {
      if (r.date < period.first_day) continue;
      p.reports.push_back(r);
      if (!r.evidence_url.empty() && std::find(p.evidence_urls.begin(), p.evidence_urls.end(),
                                               r.evidence_url) == p.evidence_urls.end()) {
        p.evidence_urls.push_back(r.evidence_url);
      }
    }
    s.counts.add(p.status, p.overdue);
    s.measures.push_back(std::move(p));
  }
  return s;
}

const Measure* find_measure(const MeasuresPlan& plan, const std::string& id) {
  for (const auto& m : plan.measures) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

std::vector<PlanProblem> check_progress_report(const MeasuresPlan& plan,
                                               const ProgressReport& report,
                                               chr::year_month_day today) {
  std::vector<PlanProblem> out;
  if (find_measure(plan, report.measure_id) == nullptr) {
    out.push_back({"measure_id", "ไม่มีมาตรการ \"" + report.measure_id + "\" ในแผนมาตรการ"});
  }
  if (!report.date.ok()) {
    out.push_back({"date", "วันที่ไม่ถูกต้อง"});
  } else if (report.date < plan.fiscal_year.first_day()) {
    out.push_back({"date", "วันที่รายงาน " + format_iso_date(report.date) +
                               " อยู่ก่อนเริ่มปีงบประมาณ พ.ศ. " + std::to_string(plan.fiscal_year.be) +
                               " (" + format_iso_date(plan.fiscal_year.first_day()) + ")"});
  } else if (report.date > today) {
    out.push_back({"date", "วันที่รายงาน " + format_iso_date(report.date) + " เป็นวันในอนาคต (วันนี้ " +
                               format_iso_date(today) + ")"});
  }
  if (report.text_th.find_first_not_of(" \t\r\n") == std::string::npos) {
    out.push_back({"text_th", "กรุณากรอกผลการดำเนินการ"});
  }
  if (!report.evidence_url.empty() && !is_evidence_url(report.evidence_url)) {
    out.push_back({"evidence_url", "ลิงก์หลักฐานต้องขึ้นต้นด้วย http:// หรือ https:// (พบ \"" +
                                       report.evidence_url + "\")"});
  }
  return out;
}

void StatusCounts::add(MeasureStatus status, bool is_overdue) {
  switch (status) {
    case MeasureStatus::Planned:
      ++planned;
      break;
    case MeasureStatus::InProgress:
      ++in_progress;
      break;
    case MeasureStatus::Done:
      ++done;
      break;
    case MeasureStatus::Cancelled:
      ++cancelled;
      break;
  }
  overdue += is_overdue ? 1 : 0;
}

}  // namespace ita
