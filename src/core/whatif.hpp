#pragma once
// What-if: the smallest set of improvements that lifts a result to a better level.
//
// "Smallest" means the fewest indicators raised; among those, the least total raise (sum of
// points), then the weakest indicators first. The raise inside each tool is spread bottom-up
// (the lowest indicators are lifted to a common level). When item scores are known, each
// raised indicator also gets the fewest questions (or OIT items) that deliver its raise; under
// the OIT sub-indicator mean an item of sub-indicator s of indicator k is worth
// (100 − score) / (n_items(s) · n_subs(k)) of k, so the items worth most are taken first and
// the indicator's `to` is what those items give, computed as the scoring engine does.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/edition.hpp"
#include "core/grading.hpp"
#include "core/scoring.hpp"

namespace ita {

struct IndicatorTarget {
  int id = 0;
  ToolId tool = ToolId::IIT;
  double from = 0;
  double to = 0;  // already rounded up to 2 decimals
};

struct ItemTarget {
  std::string code;
  int indicator = 0;
  double from = 0;
  double to = 0;
};

struct WhatIf {
  Level current;
  std::optional<Level> target;  // empty when already at the best level
  bool reachable = false;
  std::string reason;  // why not, when unreachable
  std::vector<IndicatorTarget> indicators;
  std::vector<ItemTarget> items;
  double total_raise = 0;  // sum over indicators of (to - from)
  double new_total = 0;
  std::vector<ToolScore> new_tools;
};

// Plan for the level just above the current one.
WhatIf what_if_next(const Edition& e, const Result& r);
// Plan for the grade rule at `rule_index` (0 = best).
WhatIf what_if(const Edition& e, const Result& r, std::size_t rule_index);

}  // namespace ita
