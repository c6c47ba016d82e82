#include "web/audit_view.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "core/measures.hpp"
#include "core/oit_workflow.hpp"
#include "core/thai.hpp"
#include "core/tracker.hpp"
#include "store/store.hpp"
#include "web/context.hpp"

namespace ita::web {

namespace {

using nlohmann::json;

template <class Map>
std::string label_or(const Map& labels, std::string_view code) {
  const auto it = labels.find(code);
  return it == labels.end() ? std::string(code) : std::string(it->second);
}

// A string value: a date ("YYYY-MM-DD") as a Thai date, the Thai name of an OIT stage, a round
// or measure status or a role; else as it is.
std::string text_th(std::string_view key, const std::string& value) {
  if (const auto day = parse_iso_date(value)) return format_thai_date(*day);
  if (key == "stage") {
    if (const auto s = parse_oit_stage(value)) return std::string(oit_stage_th(*s));
  } else if (key == "status") {  // of a round, or of a measure's progress
    if (const auto s = store::parse_round_status(value))
      return *s == store::RoundStatus::Closed ? "ปิดแล้ว" : "เปิดรับคำตอบ";
    if (const auto s = parse_measure_status(value)) return std::string(measure_status_th(*s));
  } else if (key == "role") {
    if (const auto r = store::parse_role(value)) return std::string(role_th(*r));
  }
  return value;
}

std::string value_th(std::string_view key, const json& v);

std::string object_th(const json& object) {
  static const std::map<std::string, std::string, std::less<>> labels = {
      {"access_codes_required", "ต้องใช้รหัสเข้าตอบ"},
      {"after", "หลัง"},
      {"agency_id", "หน่วยงานเลขที่"},
      {"before", "ก่อน"},
      {"bytes", "ขนาด (ไบต์)"},
      {"check", "การตรวจเลขที่"},
      {"closes_at", "วันปิดรับคำตอบ"},
      {"count", "จำนวน"},
      {"date", "วันที่"},
      {"district", "อำเภอ"},
      {"edition_id", "ชุดเกณฑ์"},
      {"email", "อีเมล"},
      {"evidence_url", "ลิงก์หลักฐาน"},
      {"expires_at", "หมดอายุ"},
      {"fiscal_year", "ปีงบประมาณ"},
      {"id", "เลขที่"},
      {"items", "จำนวนข้อ"},
      {"likely_fine", "น่าจะผ่าน"},
      {"measures", "จำนวนมาตรการ"},
      {"more_urls", "ลิงก์เพิ่มเติม"},
      {"name", "ชื่อ"},
      {"pass", "ผล"},
      {"practice", "รอบทดลอง"},
      {"province", "จังหวัด"},
      {"reason", "เหตุผล"},
      {"replaced", "แทนแผนเดิม"},
      {"response_cap_percent", "เพดานจำนวนผู้ตอบ (ร้อยละ)"},
      {"role", "บทบาท"},
      {"service_users", "จำนวนผู้รับบริการ"},
      {"sessions_ended", "เซสชันที่ยุติ"},
      {"staff_count", "จำนวนบุคลากร"},
      {"stage", "ขั้น"},
      {"status", "สถานะ"},
      {"token_id", "โทเคนเลขที่"},
      {"type", "ประเภท"},
      {"url", "ลิงก์หลักฐาน"},
      {"version", "รุ่น"},
      {"website", "เว็บไซต์"},
  };
  std::string out;
  for (const auto& [key, v] : object.items()) {
    if (!out.empty()) out += " · ";
    out += label_or(labels, key) + ": " + value_th(key, v);
  }
  return out;
}

std::string value_th(std::string_view key, const json& v) {
  if (v.is_object()) return "(" + object_th(v) + ")";
  if (v.is_boolean()) {
    if (key == "pass") return v.get<bool>() ? "ผ่าน" : "ไม่ผ่าน";
    return v.get<bool>() ? "ใช่" : "ไม่ใช่";
  }
  if (v.is_number_integer() && key.ends_with("_at"))
    return format_thai_datetime(v.get<std::int64_t>());
  if (v.is_string()) return text_th(key, v.get<std::string>());
  if (v.is_null()) return "-";
  if (v.is_array()) {
    std::string out;
    for (const auto& e : v) out += (out.empty() ? "" : ", ") + value_th(key, e);
    return out;
  }
  return v.dump();
}

}  // namespace

std::string audit_action_th(std::string_view code) {
  static const std::map<std::string, std::string, std::less<>> labels = {
      {"agency.create", "เพิ่มหน่วยงาน"},
      {"agency.website", "กำหนดเว็บไซต์หน่วยงาน"},
      {"user.create", "เพิ่มผู้ใช้"},
      {"user.disable", "ระงับผู้ใช้"},
      {"user.password", "เปลี่ยนรหัสผ่าน"},
      {"session.create", "เข้าสู่ระบบ"},
      {"api_token.create", "ออกโทเคน API"},
      {"api_token.revoke", "เพิกถอนโทเคน API"},
      {"round.create", "เปิดรอบการประเมิน"},
      {"round.close", "ปิดรอบการประเมิน"},
      {"round.reopen", "เปิดรอบการประเมินอีกครั้ง"},
      {"round.closing_date", "กำหนดวันปิดรับคำตอบ"},
      {"access_codes.add", "ออกรหัสเข้าตอบ"},
      {"edition.publish", "เผยแพร่ชุดเกณฑ์"},
      {"oit.evidence", "ส่งหลักฐาน OIT"},
      {"oit.review", "ตรวจหลักฐาน OIT"},
      {"oit.appeal", "อุทธรณ์ผลตรวจ OIT"},
      {"oit.decline", "ไม่ขออุทธรณ์ผลตรวจ OIT"},
      {"oit.confirm", "ยืนยันผลตรวจ OIT"},
      {"oit.check", "ตรวจความพร้อมของหลักฐาน OIT"},
      {"measures.plan", "บันทึกแผนมาตรการ"},
      {"measures.progress", "รายงานความก้าวหน้ามาตรการ"},
      {"release.replace", "เผยแพร่ผลระหว่างรอบ"},
  };
  return label_or(labels, code);
}

std::string audit_target_th(std::string_view target) {
  static const std::map<std::string, std::string, std::less<>> kinds = {
      {"agency", "หน่วยงาน"}, {"round", "รอบ"}, {"user", "ผู้ใช้"}, {"edition", "ชุดเกณฑ์"}};
  const std::size_t colon = target.find(':');
  if (colon == std::string_view::npos) return std::string(target);
  const auto it = kinds.find(target.substr(0, colon));
  return it == kinds.end() ? std::string(target)
                           : it->second + " " + std::string(target.substr(colon + 1));
}

std::string audit_detail_th(std::string_view detail) {
  const json j = json::parse(detail, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::string(detail);
  return object_th(j);
}

}  // namespace ita::web
