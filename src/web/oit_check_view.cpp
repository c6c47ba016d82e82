#include "web/oit_check_view.hpp"

#include <cstdio>
#include <map>

#include "core/thai.hpp"
#include "service/oit_check.hpp"

namespace ita::web {

namespace {

using nlohmann::json;

json two_decimals(std::optional<double> v) {
  if (!v) return nullptr;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", *v);
  return buf;
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

json check_view(const store::OitCheck& c, const Edition& e, std::int64_t now) {
  std::map<std::string, const OitItem*> items;
  for (const OitItem& item : e.oit.items) items[item.code] = &item;
  const std::string_view state = check_state_code(c, now);
  json results = json::array();
  std::map<Readiness, int> counts;
  for (const store::OitCheckResult& r : c.results) {
    const auto it = items.find(r.item);
    ++counts[r.verdict];
    results.push_back({{"code", r.item},
                       {"name", it != items.end() ? json(it->second->name_th) : json(nullptr)},
                       {"verdict", readiness_code(r.verdict)},
                       {"verdict_th", verdict_th(r.verdict)},
                       {"fine", r.verdict == Readiness::LikelyFine},
                       {"reason", r.reason_th},
                       {"url", r.url.empty() ? json(nullptr) : json(r.url)}});
  }
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
  const json view = check_view(c, e, c.finished_at.value_or(c.started_at));
  report::ReadinessReport r;
  r.agency_name = agency_name;
  r.fiscal_year = e.fiscal_year;
  r.checked_th = view["finished_th"].is_string() ? view["finished_th"].get<std::string>() : "";
  r.likely_fine = view["likely_fine"];
  r.items = static_cast<int>(c.results.size());
  r.predicted_oit =
      view["predicted_oit"].is_string() ? view["predicted_oit"].get<std::string>() : "";
  r.predicted_total =
      view["predicted_total"].is_string() ? view["predicted_total"].get<std::string>() : "";
  for (const json& t : view["tally"]) r.tally.emplace_back(t["verdict_th"], t["count"]);
  for (const json& row : view["results"]) {
    r.rows.push_back({row["code"], row["name"].is_string() ? row["name"].get<std::string>() : "",
                      row["verdict_th"], row["reason"],
                      row["url"].is_string() ? row["url"].get<std::string>() : ""});
  }
  return r;
}

}  // namespace ita::web
