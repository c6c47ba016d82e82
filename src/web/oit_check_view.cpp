#include "web/oit_check_view.hpp"

#include <map>

#include "core/thai.hpp"
#include "service/oit_check.hpp"

namespace ita::web {

namespace {

using nlohmann::json;

json two_decimals(std::optional<double> v) {
  return v ? json(format_number(*v, 2)) : json(nullptr);
}

std::string state_th(std::string_view state) {
  if (state == "running") return "กำลังตรวจ";
  if (state == "abandoned") return "ตรวจไม่เสร็จ (เซิร์ฟเวอร์หยุดระหว่างตรวจ) สั่งตรวจใหม่ได้";
  return "ตรวจเสร็จแล้ว";
}

}  // namespace

std::string_view check_state_code(const store::OitCheck& c, std::int64_t now) {
  if (c.finished_at) return "finished";
  return now - c.started_at < service::kOitCheckAbandonedAfter ? "running" : "abandoned";
}

std::string verdict_th(Readiness r) {
  switch (r) {
    case Readiness::NoEvidence:
      return "ยังไม่มีลิงก์";
    case Readiness::Refused:
      return "ลิงก์ไม่ถูกต้อง";
    case Readiness::Unreachable:
      return "เปิดลิงก์ไม่ได้";
    case Readiness::ErrorStatus:
      return "หน้าแสดงข้อผิดพลาด";
    case Readiness::OutsideDomain:
      return "อยู่นอกเว็บไซต์ของหน่วยงาน";
    case Readiness::TooLarge:
      return "ไฟล์ใหญ่เกินกว่าจะตรวจได้";
    case Readiness::TooLittleContent:
      return "เนื้อหาน้อยเกินไป";
    case Readiness::BeforeFiscalYear:
      return "เป็นข้อมูลก่อนปีงบประมาณ";
    case Readiness::NoFiscalYear:
      return "ไม่พบปีงบประมาณ";
    case Readiness::MissingKeywords:
      return "ไม่พบคำสำคัญของข้อ";
    case Readiness::LikelyFine:
      return "น่าจะผ่านเกณฑ์";
  }
  return "";
}

namespace {

// Items of each verdict in `c`, worst first (the enum's order).
std::map<Readiness, int> verdict_counts(const store::OitCheck& c) {
  std::map<Readiness, int> counts;
  for (const store::OitCheckResult& r : c.results) ++counts[r.verdict];
  return counts;
}

// The name of item `code` in `e`, or "" for an item the edition no longer has.
std::string item_name(const Edition& e, const std::string& code) {
  for (const OitItem& item : e.oit.items) {
    if (item.code == code) return item.name_th;
  }
  return "";
}

}  // namespace

json check_view(const store::OitCheck& c, const Edition& e, std::int64_t now) {
  const std::string_view state = check_state_code(c, now);
  json results = json::array();
  for (const store::OitCheckResult& r : c.results) {
    const std::string name = item_name(e, r.item);
    results.push_back({{"code", r.item},
                       {"name", name.empty() ? json(nullptr) : json(name)},
                       {"verdict", readiness_code(r.verdict)},
                       {"verdict_th", verdict_th(r.verdict)},
                       {"fine", r.verdict == Readiness::LikelyFine},
                       {"reason", r.reason_th},
                       {"url", r.url.empty() ? json(nullptr) : json(r.url)}});
  }
  std::map<Readiness, int> counts = verdict_counts(c);
  json tally = json::array();
  for (const auto& [verdict, n] : counts) {
    tally.push_back(
        {{"verdict", readiness_code(verdict)}, {"verdict_th", verdict_th(verdict)}, {"count", n}});
  }
  return {
      {"id", c.id},
      {"state", state},
      {"state_th", state_th(state)},
      {"running", state == "running"},
      {"finished", c.finished_at.has_value()},
      {"started_th", format_thai_datetime(c.started_at)},
      {"finished_th", c.finished_at ? json(format_thai_datetime(*c.finished_at)) : json(nullptr)},
      {"likely_fine", counts[Readiness::LikelyFine]},
      {"items", c.results.size()},
      {"predicted_oit", two_decimals(c.predicted_oit)},
      {"predicted_total", two_decimals(c.predicted_total)},
      {"tally", std::move(tally)},
      {"results", std::move(results)}};
}

report::ReadinessReport readiness_report(const store::OitCheck& c, const Edition& e,
                                         const std::string& agency_name) {
  report::ReadinessReport r;
  r.agency_name = agency_name;
  r.fiscal_year = e.fiscal_year;
  r.checked_th = c.finished_at ? format_thai_datetime(*c.finished_at) : "";
  r.items = static_cast<int>(c.results.size());
  r.predicted_oit = c.predicted_oit ? format_number(*c.predicted_oit, 2) : "";
  r.predicted_total = c.predicted_total ? format_number(*c.predicted_total, 2) : "";
  for (const auto& [verdict, n] : verdict_counts(c)) {
    r.tally.emplace_back(verdict_th(verdict), n);
    if (verdict == Readiness::LikelyFine) r.likely_fine = n;
  }
  for (const store::OitCheckResult& row : c.results) {
    r.rows.push_back(
        {row.item, item_name(e, row.item), verdict_th(row.verdict), row.reason_th, row.url});
  }
  return r;
}

}  // namespace ita::web
