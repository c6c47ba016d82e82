#include "core/analysis.hpp"

#include <algorithm>

namespace ita {

std::vector<RankedIndicator> rank_indicators(const Result& r) {
  std::vector<RankedIndicator> out;
  for (const auto& i : r.indicators) out.push_back({0, i.id, i.tool, i.score, round2(i.score)});
  std::stable_sort(out.begin(), out.end(), [](const RankedIndicator& a, const RankedIndicator& b) {
    if (a.shown != b.shown) return a.shown > b.shown;
    return a.id < b.id;
  });
  for (std::size_t k = 0; k < out.size(); ++k) out[k].rank = static_cast<int>(k + 1);
  return out;
}

namespace {

std::string item_text(const Edition& e, const ItemScore& s) {
  if (s.tool == ToolId::OIT) {
    const OitItem* o = e.find_oit_item(s.code);
    return o == nullptr ? "" : o->name_th;
  }
  const Item* item = e.find_item(s.code);
  return item == nullptr ? "" : item->text_th;
}

}  // namespace

Analysis analyze(const Edition& e, const Result& r) {
  Analysis a;
  a.strength_min = to_hundredths(e.analysis.strength_min);
  a.item_min = to_hundredths(e.analysis.item_min);
  a.ranking = rank_indicators(r);
  for (const auto& ri : a.ranking) {
    (ri.shown >= a.strength_min ? a.strengths : a.weaknesses).push_back(ri.id);
  }
  for (const auto& s : r.items) {
    ItemFinding f{s.code, s.indicator, item_text(e, s), s.score, round2(s.score)};
    if (s.tool == ToolId::OIT) {
      if (f.shown == Rounded{0}) a.oit_zero.push_back(std::move(f));
    } else if (f.shown < a.item_min) {
      a.items_below[s.indicator].push_back(std::move(f));
    }
  }
  return a;
}

}  // namespace ita
