#pragma once
// Thailand's 77 provinces (76 จังหวัด and กรุงเทพมหานคร), as data, in the order of their region.
#include <span>
#include <string_view>

namespace ita::io {

struct Province {
  std::string_view name_th;
  std::string_view region_th;  // ภาคเหนือ, ภาคตะวันออกเฉียงเหนือ, ภาคกลาง, ภาคตะวันออก, ภาคตะวันตก, ภาคใต้
};

std::span<const Province> thai_provinces();

// The province named exactly `name_th` ("น่าน", "กรุงเทพมหานคร"), or nullptr: no other spelling
// ("จังหวัดน่าน", "กรุงเทพฯ") is one of the 77.
const Province* find_thai_province(std::string_view name_th);

}  // namespace ita::io
