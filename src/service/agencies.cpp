#include "service/agencies.hpp"

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
  if (!a.province.empty() && io::find_thai_province(a.province) == nullptr) {
    throw Invalid("จังหวัด: \"" + a.province +
                  "\" ไม่ใช่ชื่อจังหวัดหนึ่งใน 77 จังหวัด (เขียนชื่อเต็ม เช่น \"น่าน\" หรือ \"กรุงเทพมหานคร\")");
  }
  return a;
}

store::Agency create_agency(store::Store& store, const store::Agency& a,
                            std::optional<std::int64_t> by_user) {
  return store.create_agency(checked_agency(a), by_user);
}

}  // namespace ita::service
