#include "core/privacy.hpp"

#include <algorithm>

namespace ita {

std::vector<ToolId> small_groups(const std::map<ToolId, std::size_t>& respondents,
                                 std::size_t min) {
  std::vector<ToolId> out;
  for (const auto& [tool, n] : respondents) {
    if (tool != ToolId::OIT && n > 0 && n < min) out.push_back(tool);
  }
  return out;
}

Result without_small_group_items(Result r, std::size_t min) {
  const auto small = small_groups(r.respondents, min);
  std::erase_if(
      r.items, [&](const ItemScore& i) { return std::ranges::find(small, i.tool) != small.end(); });
  return r;
}

std::vector<std::string> small_group_notes(const std::map<ToolId, std::size_t>& respondents,
                                           std::size_t min) {
  std::vector<std::string> out;
  for (const ToolId t : small_groups(respondents, min)) {
    out.push_back("ไม่แสดงคะแนนรายข้อและคำตอบดิบของแบบวัด " + std::string(tool_code(t)) +
                  " เพราะมีผู้ตอบ " + std::to_string(respondents.at(t)) + " คน (น้อยกว่า " +
                  std::to_string(min) + " คน) เพื่อไม่ให้ระบุได้ว่าใครตอบอย่างไร");
  }
  return out;
}

}  // namespace ita
