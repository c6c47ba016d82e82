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

}  // namespace ita::io
