#include "service/plan_editing.hpp"

#include <algorithm>
#include <set>

#include "service/errors.hpp"
#include "service/text_fields.hpp"

namespace ita::service {

namespace {

namespace chr = std::chrono;

// The non-blank lines of `text`, each trimmed.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    std::string line = trimmed(text.substr(start, end - start));
    if (!line.empty()) out.push_back(std::move(line));
    start = end + 1;
  }
  return out;
}

std::size_t index_of(const MeasuresPlan& plan, const std::string& id) {
  for (std::size_t k = 0; k < plan.measures.size(); ++k) {
    if (plan.measures[k].id == id) return k;
  }
  throw NotFound("ไม่พบมาตรการ \"" + id + "\" ในแผนมาตรการของรอบนี้");
}

}  // namespace

std::optional<chr::year_month_day> typed_be_date(const std::string& typed,
                                                 const std::string& label_th) {
  const std::string t = trimmed(typed);
  if (t.empty()) return std::nullopt;
  if (auto d = parse_be_date(t)) return d;
  if (auto d = parse_iso_date(t)) return d;
  throw Invalid(label_th + "ต้องเป็นวันที่จริงในรูปแบบ วัน/เดือน/ปี พ.ศ. เช่น 31/03/2568 (ได้รับ \"" + t +
                "\")");
}

Measure measure_from(const Edition& e, FiscalYear fy, const MeasureInput& in, Measure base) {
  base.title_th = trimmed(in.title);
  if (base.title_th.empty()) throw Invalid("กรุณากรอกมาตรการ/แนวทาง");
  check_text(kMeasureTitle, base.title_th);
  base.steps_th = lines_of(in.steps);
  for (const auto& step : base.steps_th) check_text(kMeasureStep, step);
  base.responsible_th = trimmed(in.responsible);
  check_text(kMeasureResponsible, base.responsible_th);
  base.monitoring_th = trimmed(in.monitoring);
  check_text(kMeasureMonitoring, base.monitoring_th);
  const std::set<int> indicators(in.indicators.begin(), in.indicators.end());
  for (int id : indicators) {
    if (e.find_indicator(id) == nullptr)
      throw Invalid("ไม่มีตัวชี้วัดที่ " + std::to_string(id) + " ในเกณฑ์การประเมินของรอบนี้");
  }
  base.indicators.assign(indicators.begin(), indicators.end());
  base.due = typed_be_date(in.due, "กำหนดเสร็จ");
  if (base.due && !fy.contains(*base.due)) {
    throw Invalid("กำหนดเสร็จต้องอยู่ใน" + fiscal_year_label(fy) + " (" +
                  format_be_date(fy.first_day()) + " ถึง " + format_be_date(fy.last_day()) +
                  ") แต่ได้รับ " + format_be_date(*base.due));
  }
  return base;
}

std::string next_measure_id(const MeasuresPlan& plan) {
  std::set<std::string> used;
  for (const auto& m : plan.measures) used.insert(m.id);
  for (std::size_t n = 1;; ++n) {
    std::string id = "m-" + std::to_string(n);
    if (!used.contains(id)) return id;
  }
}

MeasuresPlan with_measure_edited(const Edition& e, const MeasuresPlan& plan, const std::string& id,
                                 const MeasureInput& in) {
  MeasuresPlan out = plan;
  Measure& m = out.measures[index_of(plan, id)];
  m = measure_from(e, plan.fiscal_year, in, m);
  return out;
}

MeasuresPlan with_measure_added(const Edition& e, const MeasuresPlan& plan,
                                const MeasureInput& in) {
  Measure fresh;
  fresh.id = next_measure_id(plan);
  MeasuresPlan out = plan;
  out.measures.push_back(measure_from(e, plan.fiscal_year, in, std::move(fresh)));
  return out;
}

MeasuresPlan without_measure(const MeasuresPlan& plan, const std::string& id, bool confirmed,
                             const std::vector<ProgressReport>& reports) {
  const std::size_t k = index_of(plan, id);
  if (!confirmed) throw Invalid("กรุณาทำเครื่องหมายยืนยันการลบมาตรการ");
  const bool reported = std::any_of(reports.begin(), reports.end(),
                                    [&](const ProgressReport& r) { return r.measure_id == id; });
  if (reported) {
    throw Refused("ลบมาตรการ \"" + plan.measures[k].title_th +
                  "\" ไม่ได้ เพราะมีรายงานความก้าวหน้าแล้ว หากจะไม่ดำเนินการต่อ "
                  "ให้รายงานความก้าวหน้าด้วยสถานะ \"ยกเลิก\" แทน");
  }
  MeasuresPlan out = plan;
  out.measures.erase(out.measures.begin() + static_cast<std::ptrdiff_t>(k));
  return out;
}

MeasuresPlan with_signature(const MeasuresPlan& plan, const SignatureInput& in) {
  MeasuresPlan out = plan;
  out.signature.name_th = trimmed(in.name);
  check_text(kSignatureName, out.signature.name_th);
  out.signature.position_th = trimmed(in.position);
  check_text(kSignaturePosition, out.signature.position_th);
  out.signature.date = typed_be_date(in.date, "วันที่ประกาศ");
  return out;
}

}  // namespace ita::service
