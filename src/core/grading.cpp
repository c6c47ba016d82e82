#include "core/grading.hpp"

#include "core/error.hpp"

namespace ita {

bool rule_holds(const GradeRule& rule, Rounded total, const std::vector<ToolRounded>& tools) {
  if (total < to_hundredths(rule.min_total)) return false;
  if (rule.min_every_tool) {
    const Rounded floor = to_hundredths(*rule.min_every_tool);
    for (const auto& t : tools) {
      if (t.score < floor) return false;
    }
  }
  return true;
}

Level grade(const Grading& grading, Rounded total, const std::vector<ToolRounded>& tools) {
  for (std::size_t i = 0; i < grading.rules.size(); ++i) {
    const auto& rule = grading.rules[i];
    if (rule_holds(rule, total, tools)) return Level{rule.code, rule.label_th, i};
  }
  throw InputError("grading.rules", "no grade rule matches total " + format2(total) +
                                        "; the last rule must have min_total 0");
}

}  // namespace ita
