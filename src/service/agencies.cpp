#include "service/agencies.hpp"

#include "core/oit_workflow.hpp"
#include "io/thai_provinces.hpp"
#include "service/errors.hpp"
#include "service/text_fields.hpp"

namespace ita::service {

store::Agency checked_agency(store::Agency a) {
  for (std::string* f : {&a.name, &a.district, &a.province, &a.type}) *f = trimmed(*f);
  if (a.name.empty()) throw Invalid("กรุณากรอกชื่อหน่วยงาน");
  check_text(kAgencyName, a.name);
  check_text(kAgencyDistrict, a.district);
  check_text(kAgencyProvince, a.province);
  check_text(kAgencyType, a.type);
  a.website = checked_website(a.website);
  if (!a.province.empty() && io::find_thai_province(a.province) == nullptr) {
    throw Invalid("จังหวัด: \"" + a.province +
                  "\" ไม่ใช่ชื่อจังหวัดหนึ่งใน 77 จังหวัด (เขียนชื่อเต็ม เช่น \"น่าน\" หรือ \"กรุงเทพมหานคร\")");
  }
  return a;
}

std::string checked_website(const std::string& website) {
  std::string w = trimmed(website);
  if (!w.empty() && !is_evidence_url(w)) {
    throw Invalid(
        "เว็บไซต์ของหน่วยงาน: ต้องเป็นที่อยู่เว็บที่ขึ้นต้นด้วย http:// หรือ https:// "
        "ไม่มีช่องว่าง และยาวไม่เกิน 2000 ตัวอักษร (เช่น https://www.example.go.th)");
  }
  return w;
}

store::Agency create_agency(store::Store& store, const store::Agency& a,
                            std::optional<std::int64_t> by_user) {
  return store.create_agency(checked_agency(a), by_user);
}

store::Agency set_agency_website(store::Store& store, std::int64_t agency_id,
                                 const std::string& website, std::optional<std::int64_t> by_user) {
  const std::string checked = checked_website(website);
  if (!store.agency(agency_id)) {
    throw NotFound("ไม่พบหน่วยงาน " + std::to_string(agency_id) + " (unknown agency)");
  }
  return store.set_agency_website(agency_id, checked, by_user);
}

}  // namespace ita::service
