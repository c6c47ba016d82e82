#include "core/release.hpp"

#include <algorithm>
#include <vector>

namespace ita {

namespace {

std::size_t count_of(const std::map<ToolId, std::size_t>& m, ToolId t) {
  const auto it = m.find(t);
  return it == m.end() ? 0 : it->second;
}

bool is_oit(const ItemScore& i) {
  return i.tool == ToolId::OIT;
}

}  // namespace

bool release_due(const std::map<ToolId, std::size_t>& now,
                 const std::optional<std::map<ToolId, std::size_t>>& last, std::size_t min) {
  for (const ToolId t : {ToolId::IIT, ToolId::EIT}) {
    const std::size_t n = count_of(now, t);
    if (!last) {
      if (n == 0 || n < min) return false;
    } else if (n < count_of(*last, t) + min) {
      return false;
    }
  }
  return true;
}

Result with_oit_verdicts(const Edition& e, Result release,
                         const std::map<std::string, bool>& verdicts) {
  std::erase_if(release.items, is_oit);
  std::vector<double> scores;  // scores[i]: e.oit.items[i], as AnswerTally and the scorer do
  for (const auto& o : e.oit.items) {
    const auto it = verdicts.find(o.code);
    scores.push_back(it != verdicts.end() && it->second ? 100.0 : 0.0);
    if (it != verdicts.end())
      release.items.push_back({o.code, ToolId::OIT, o.indicator, scores.back(), 0});
  }
  for (auto& ind : release.indicators) {
    if (ind.tool == ToolId::OIT) ind.score = oit_indicator_score(e, ind.id, scores);
  }
  finish_totals(e, release);
  return release;
}

Result with_oit_of(const Edition& e, Result release, const Result& current) {
  for (auto& ind : release.indicators) {
    if (ind.tool != ToolId::OIT) continue;
    if (const IndicatorScore* now = current.indicator(ind.id)) ind.score = now->score;
  }
  if (std::ranges::any_of(current.items, is_oit)) {
    std::erase_if(release.items, is_oit);
    for (const auto& i : current.items) {
      if (is_oit(i)) release.items.push_back(i);
    }
  }
  finish_totals(e, release);
  return release;
}

}  // namespace ita
