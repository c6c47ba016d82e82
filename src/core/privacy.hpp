#pragma once
// Small groups (README, "Anonymity"): with very few respondents an item's mean is a person's
// answer, so the survey tools answered by 1 to `min` - 1 people have their item-level figures
// withheld from every page, API reply, export and document for every role: item scores, items
// under the line, raw answers. Tool and indicator scores, the total and the level are the official
// result and stay. Pure functions.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "core/scoring.hpp"

namespace ita {

// The survey tools (IIT, EIT; never OIT) answered by 1 to `min` - 1 people in `respondents`, in
// tool order. A tool nobody answered is not a small group.
std::vector<ToolId> small_groups(const std::map<ToolId, std::size_t>& respondents, std::size_t min);

// `r` without the item scores of its small groups (by `r.respondents`); everything else of `r`
// unchanged.
Result without_small_group_items(Result r, std::size_t min);

// One Thai note per small group for a page ("ไม่แสดงคะแนนรายข้อ… IIT เพราะมีผู้ตอบ 3 คน…"), in
// tool order; empty when there is none.
std::vector<std::string> small_group_notes(const std::map<ToolId, std::size_t>& respondents,
                                           std::size_t min);

}  // namespace ita
