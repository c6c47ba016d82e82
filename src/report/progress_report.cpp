#include "report/progress_report.hpp"

#include <string>
#include <utility>
#include <vector>

#include "core/thai.hpp"
#include "report/text.hpp"

namespace ita::report {

namespace {

namespace chr = std::chrono;

// The fixed text of the two reports. Phrases shared with the measures document (the agency
// line, due dates) come from templates/document-th.json.
constexpr const char* kTitleHalf =
    "รายงานความก้าวหน้าการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส รอบ 6 เดือน ประจำปีงบประมาณ "
    "พ.ศ. ";
constexpr const char* kTitleYear =
    "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ";
constexpr const char* kPeriod = "ระยะเวลาดำเนินการ ";
constexpr const char* kPeriodTo = " ถึง ";
constexpr const char* kAsOf = "ข้อมูล ณ วันที่ ";
constexpr const char* kSummaryHeading = "1. สรุปผลการดำเนินการ";
constexpr const char* kCountsCaption = "ตารางสรุปสถานะการดำเนินการตามมาตรการ";
constexpr const char* kMeasuresHeading = "2. ผลการดำเนินการรายมาตรการ";
constexpr const char* kOverdueHeading = "3. มาตรการที่เกินกำหนด";
constexpr const char* kNoMeasures = "ยังไม่ได้กำหนดมาตรการ";
constexpr const char* kNoOverdue = "- ไม่มี -";
constexpr const char* kOverdue = "เกินกำหนด";
constexpr const char* kNone = "-";
constexpr const char* kUnit = " มาตรการ";

struct Context {
  const io::AgencyInfo& agency;
  const ProgressSummary& summary;
  const DocumentOptions& options;
  const ReportText& text;
  Document& doc;

  // Digits of generated and user text follow the options; URLs never pass through here.
  std::string digits(const std::string& s) const {
    return maybe_thai_digits(s, options.thai_digits);
  }
  std::string date(chr::year_month_day d, ThaiDateStyle style = ThaiDateStyle::Long) const {
    return options.be_dates ? format_thai_date(d, style, options.thai_digits) : format_iso_date(d);
  }
  void para(ParagraphStyle style, const std::string& s) const {
    doc.blocks.emplace_back(Paragraph{style, s});
  }
  FiscalYear plan_year() const { return summary.period.fiscal_year; }
};

std::string str(int v) {
  return std::to_string(v);
}

std::string with_prefix(const std::string& value, const std::string& prefix) {
  if (value.empty()) return "";
  const bool has = value.starts_with(prefix) || value.starts_with("เขต") || value == "กรุงเทพมหานคร";
  return " " + (has ? value : prefix + value);
}

std::string agency_line(const Context& c) {
  const std::string full = c.agency.name +
                           with_prefix(c.agency.district, c.text.fill("district_prefix")) +
                           with_prefix(c.agency.province, c.text.fill("province_prefix"));
  return c.digits(c.text.fill("agency_line", {{"agency", full}}));
}

// As the measures document words it: "ภายในเดือนมีนาคม 2568", "ภายในวันที่ 15 มกราคม 2568",
// "ตลอดปีงบประมาณ พ.ศ. 2568".
std::string due_text(const Context& c, const Measure& m) {
  if (!m.due) return c.digits(c.text.fill("s5_all_year", {{"plan_year", str(c.plan_year().be)}}));
  const auto d = *m.due;
  if (!c.options.be_dates) return c.text.fill("s5_due_day", {{"date", format_iso_date(d)}});
  const bool month_end = chr::year_month_day{d.year() / d.month() / chr::last} == d;
  if (!month_end) return c.text.fill("s5_due_day", {{"date", c.date(d)}});
  return c.digits(
      c.text.fill("s5_due_month", {{"month", std::string(thai_month_name(unsigned(d.month())))},
                                   {"year", str(be_from_ce(int(d.year())))}}));
}

std::string percent(int n, int total) {
  if (total == 0) return kNone;
  return format_number(100.0 * n / total, 2);
}

void section_summary(const Context& c) {
  const StatusCounts& n = c.summary.counts;
  c.para(ParagraphStyle::Heading, c.digits(kSummaryHeading));
  c.para(ParagraphStyle::Body,
         c.digits("มาตรการทั้งหมด " + str(n.total()) + kUnit + " " +
                  std::string(measure_status_th(MeasureStatus::Done)) + " " + str(n.done) + kUnit +
                  " " + std::string(measure_status_th(MeasureStatus::InProgress)) + " " +
                  str(n.in_progress) + kUnit + " " +
                  std::string(measure_status_th(MeasureStatus::Planned)) + " " + str(n.planned) +
                  kUnit + " " + std::string(measure_status_th(MeasureStatus::Cancelled)) + " " +
                  str(n.cancelled) + kUnit + " และ" + kOverdue + " " + str(n.overdue) + kUnit));
  c.para(ParagraphStyle::Caption, kCountsCaption);
  Table t{{{"สถานะ", 0.5}, {"จำนวน (มาตรการ)", 0.25}, {"ร้อยละ", 0.25}}, {}};
  auto row = [&](const std::string& label, int count) {
    t.rows.push_back({Cell{{label}}, Cell{{c.digits(str(count))}, Align::Center},
                      Cell{{c.digits(percent(count, n.total()))}, Align::Center}});
  };
  row(std::string(measure_status_th(MeasureStatus::Done)), n.done);
  row(std::string(measure_status_th(MeasureStatus::InProgress)), n.in_progress);
  row(std::string(measure_status_th(MeasureStatus::Planned)), n.planned);
  row(std::string(measure_status_th(MeasureStatus::Cancelled)), n.cancelled);
  row("รวม", n.total());
  row(std::string(kOverdue) + " (ยังไม่แล้วเสร็จเมื่อพ้นกำหนด)", n.overdue);
  c.doc.blocks.emplace_back(std::move(t));
}

std::vector<Cell> measure_row(const Context& c, const MeasureProgress& p, int n) {
  std::vector<std::string> status{std::string(measure_status_th(p.status))};
  if (p.overdue) status.push_back(kOverdue);
  std::vector<std::string> results;
  for (const auto& r : p.reports)
    results.push_back(c.date(r.date, ThaiDateStyle::Short) + ": " + c.digits(r.text_th));
  if (results.empty()) results.push_back(kNone);
  std::vector<std::string> evidence = p.evidence_urls;  // verbatim: Thai digits would break them
  if (evidence.empty()) evidence.push_back(kNone);
  return {Cell{{c.digits(str(n) + ". " + p.measure.title_th)}},
          Cell{{c.digits(p.measure.responsible_th.empty() ? kNone : p.measure.responsible_th)},
               Align::Center},
          Cell{{due_text(c, p.measure)}, Align::Center},
          Cell{std::move(status), Align::Center},
          Cell{std::move(results), Align::Left, false, true},
          Cell{std::move(evidence)}};
}

void section_measures(const Context& c) {
  c.para(ParagraphStyle::Heading, c.digits(kMeasuresHeading));
  if (c.summary.measures.empty()) {
    c.para(ParagraphStyle::Body, kNoMeasures);
    return;
  }
  Table t{{{"มาตรการ", 0.22},
           {"ผู้รับผิดชอบ", 0.13},
           {"กำหนด", 0.14},
           {"สถานะ", 0.15},
           {"ผลการดำเนินการ", 0.21},
           {"หลักฐาน", 0.15}},
          {}};
  int n = 0;
  for (const auto& p : c.summary.measures) t.rows.push_back(measure_row(c, p, ++n));
  c.doc.blocks.emplace_back(std::move(t));
}

void section_overdue(const Context& c) {
  c.para(ParagraphStyle::Heading, c.digits(kOverdueHeading));
  int n = 0, k = 0;
  for (const auto& p : c.summary.measures) {
    ++k;
    if (!p.overdue) continue;
    c.para(ParagraphStyle::Body, c.digits(str(++n) + ". " + p.measure.title_th + " (มาตรการที่ " +
                                          str(k) + ", " + due_text(c, p.measure) + ", " +
                                          std::string(measure_status_th(p.status)) + ")"));
  }
  if (n == 0) c.para(ParagraphStyle::Body, kNoOverdue);
}

}  // namespace

Document build_progress_document(const io::AgencyInfo& agency, const ProgressSummary& summary,
                                 const DocumentOptions& options) {
  Document doc;
  const ReportText& text = ReportText::builtin();
  const Context c{agency, summary, options, text, doc};
  const Period& period = summary.period;
  doc.title = c.digits((period.kind == PeriodKind::FirstHalf ? kTitleHalf : kTitleYear) +
                       str(period.fiscal_year.be));
  doc.author = agency.name;
  doc.thai_digits = options.thai_digits;
  doc.keep_together = text.fill_list("keep_together");
  doc.keep_together.push_back("ประจำปีงบประมาณ");
  doc.keep_together.push_back("มาตรการ");
  doc.keep_together.push_back(kOverdue);
  if (!agency.name.empty()) doc.keep_together.push_back(c.digits(agency.name));
  c.para(ParagraphStyle::Title, doc.title);
  c.para(ParagraphStyle::Subtitle, agency_line(c));
  c.para(ParagraphStyle::Subtitle,
         kPeriod + c.date(period.first_day) + kPeriodTo + c.date(period.last_day));
  if (summary.as_of < period.last_day)
    c.para(ParagraphStyle::Subtitle, kAsOf + c.date(summary.as_of));
  section_summary(c);
  section_measures(c);
  section_overdue(c);
  return doc;
}

}  // namespace ita::report
