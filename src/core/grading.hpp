#pragma once
// Levels from the edition's grade rules (first matching rule wins).
#include <cstddef>
#include <string>
#include <vector>

#include "core/edition.hpp"
#include "core/rounding.hpp"

namespace ita {

struct Level {
  std::string code;      // excellent/good/pass/improve/urgent, or AA..F
  std::string label_th;  // ผ่านดีเยี่ยม, …
  std::size_t rule_index = 0;
};

struct ToolRounded {
  ToolId tool = ToolId::IIT;
  Rounded score;
};

// Whether `rule` holds for the rounded total and tool scores.
bool rule_holds(const GradeRule& rule, Rounded total, const std::vector<ToolRounded>& tools);

// The level for rounded scores. Throws InputError if no rule matches (a malformed edition).
Level grade(const Grading& grading, Rounded total, const std::vector<ToolRounded>& tools);

}  // namespace ita
