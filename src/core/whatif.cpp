#include "core/whatif.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "core/rounding.hpp"

namespace ita {

namespace {

constexpr double kEps = 1e-9;
constexpr std::size_t kMaxIndicators = 20;  // subsets are enumerated exhaustively

double ceil2(double x) {
  return std::min(100.0, std::ceil(x * 100.0 - 1e-7) / 100.0);
}

// Raw value that rounds to at least threshold `t` (e.g. 84.995 for 85).
double raw_floor(double t) {
  return lowest_raw_rounding_to(to_hundredths(t)) + 1e-7;
}

struct Candidate {
  double cost = std::numeric_limits<double>::infinity();
  double weakness = 0;         // sum of current scores of the chosen indicators: lower wins ties
  std::vector<double> raises;  // per indicator (edition order)
};

// Raises `members` (indices into scores) by a total of `amount`, lowest first, to a common level.
void water_fill(const std::vector<std::size_t>& members, const std::vector<double>& scores,
                double amount, std::vector<double>& raises) {
  std::vector<std::size_t> order = members;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  double prefix = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    prefix += scores[order[k]];
    const double next = k + 1 < order.size() ? scores[order[k + 1]] : 100.0;
    const double count = static_cast<double>(k + 1);
    // Lifting the k+1 lowest up to `next` costs next·(k+1) − prefix.
    if (next * count - prefix >= amount - kEps || k + 1 == order.size()) {
      const double level = std::min(100.0, (amount + prefix) / count);
      for (std::size_t j = 0; j <= k; ++j)
        raises[order[j]] = std::max(0.0, level - scores[order[j]]);
      return;
    }
  }
}

class Planner {
 public:
  Planner(const Result& r, const GradeRule& rule) : rule_(rule) {
    for (const auto& i : r.indicators) scores_.push_back(i.score);
    for (const auto& t : r.tools) {
      std::vector<std::size_t> members;
      for (std::size_t i = 0; i < r.indicators.size(); ++i) {
        if (r.indicators[i].tool == t.id) members.push_back(i);
      }
      tools_.push_back({t.id, t.weight, members});
    }
  }

  std::optional<Candidate> best() const {
    const std::size_t n = scores_.size();
    if (n > kMaxIndicators) return std::nullopt;
    for (std::size_t k = 1; k <= n; ++k) {
      std::optional<Candidate> best;
      for (std::uint32_t mask = 1; mask < (1u << n); ++mask) {
        if (static_cast<std::size_t>(__builtin_popcount(mask)) != k) continue;
        auto c = evaluate(mask);
        if (c && (!best || c->cost < best->cost - kEps ||
                  (std::abs(c->cost - best->cost) <= kEps && c->weakness < best->weakness))) {
          best = std::move(c);
        }
      }
      if (best) return best;
    }
    return std::nullopt;
  }

 private:
  struct ToolGroup {
    ToolId id;
    double weight;
    std::vector<std::size_t> members;
  };

  std::optional<Candidate> evaluate(std::uint32_t mask) const {
    std::vector<double> need(tools_.size(), 0.0), cap(tools_.size(), 0.0), unit(tools_.size(), 0.0);
    std::vector<std::vector<std::size_t>> chosen(tools_.size());
    double total = 0;
    Candidate c;
    c.raises.assign(scores_.size(), 0.0);
    for (std::size_t t = 0; t < tools_.size(); ++t) {
      const auto& g = tools_[t];
      double sum = 0;
      for (std::size_t i : g.members) {
        sum += scores_[i];
        if (mask & (1u << i)) {
          chosen[t].push_back(i);
          cap[t] += 100.0 - scores_[i];
          c.weakness += scores_[i];
        }
      }
      const double count = static_cast<double>(g.members.size());
      unit[t] = g.weight / count;  // total gained per point raised in this tool
      total += g.weight * sum / count;
      if (rule_.min_every_tool)
        need[t] = std::max(0.0, count * raw_floor(*rule_.min_every_tool) - sum);
      if (need[t] > cap[t] + kEps) return std::nullopt;
      total += unit[t] * need[t];
    }
    double shortfall = raw_floor(rule_.min_total) - total;
    std::vector<std::size_t> by_gain(tools_.size());
    for (std::size_t t = 0; t < by_gain.size(); ++t) by_gain[t] = t;
    std::sort(by_gain.begin(), by_gain.end(),
              [&](std::size_t a, std::size_t b) { return unit[a] > unit[b]; });
    for (std::size_t t : by_gain) {
      if (shortfall <= 0) break;
      const double add = std::min(cap[t] - need[t], shortfall / unit[t]);
      need[t] += add;
      shortfall -= add * unit[t];
    }
    if (shortfall > kEps) return std::nullopt;
    c.cost = 0;
    for (std::size_t t = 0; t < tools_.size(); ++t) {
      if (need[t] <= 0) continue;
      water_fill(chosen[t], scores_, need[t], c.raises);
      c.cost += need[t];
    }
    return c;
  }

  const GradeRule& rule_;
  std::vector<double> scores_;
  std::vector<ToolGroup> tools_;
};

// Under the sub-indicator mean (items → sub-indicator mean → indicator mean) an item of
// sub-indicator s of indicator k moves k by (100 − score) / (n_items(s) · n_subs(k)) when it
// passes. Takes the items with the largest gain first (edition order among equal gains): the
// fewest items whose gains reach `t.to`. `achieved` is the indicator recomputed with the
// scoring engine from the item scores after the plan.
std::vector<ItemTarget> sub_indicator_plan(const Edition& e, const Result& r,
                                           const IndicatorTarget& t, double& achieved) {
  std::map<std::string, double> by_code;
  for (const auto& s : r.items) {
    if (s.tool == ToolId::OIT) by_code[s.code] = s.score;
  }
  std::map<int, double> others;  // every indicator but t.id, so only t.id is computed
  for (const auto& i : r.indicators) {
    if (i.id != t.id) others[i.id] = i.score;
  }
  const auto indicator_of = [&](const std::map<std::string, double>& items) {
    return indicators_from_items(e, items, others).at(t.id);
  };
  const double base = indicator_of(by_code);
  struct Gain {
    const OitItem* item;
    double score;
    double gain;
  };
  std::vector<Gain> gains;
  std::size_t subs = 0;
  for (const auto& sub : e.oit.sub_indicators) {
    if (sub.indicator != t.id) continue;
    std::size_t n = 0;
    for (const auto& o : e.oit.items) n += o.sub_indicator == sub.id ? 1 : 0;
    if (n > 0) ++subs;
  }
  for (const auto& sub : e.oit.sub_indicators) {
    if (sub.indicator != t.id) continue;
    std::vector<const OitItem*> members;
    for (const auto& o : e.oit.items) {
      if (o.sub_indicator == sub.id) members.push_back(&o);
    }
    for (const OitItem* o : members) {
      const double score = by_code.at(o->code);
      if (score >= 100) continue;
      const double n = static_cast<double>(members.size() * subs);
      gains.push_back({o, score, (100.0 - score) / n});
    }
  }
  std::stable_sort(gains.begin(), gains.end(),
                   [](const Gain& a, const Gain& b) { return a.gain > b.gain; });
  std::vector<ItemTarget> out;
  double reached = base;
  for (const Gain& g : gains) {
    if (reached >= t.to - kEps) break;
    out.push_back({g.item->code, t.id, g.score, 100.0});
    by_code[g.item->code] = 100.0;
    reached += g.gain;
  }
  achieved = out.empty() ? base : indicator_of(by_code);
  return out;
}

// The fewest items of one indicator whose raise lifts the indicator by `raise`.
std::vector<ItemTarget> item_plan(const Edition& e, const Result& r, const IndicatorTarget& t,
                                  double& achieved) {
  std::vector<const ItemScore*> items;
  for (const auto& s : r.items) {
    if (s.indicator == t.id) items.push_back(&s);
  }
  std::size_t expected = 0;
  if (t.tool == ToolId::OIT) {
    for (const auto& o : e.oit.items) expected += o.indicator == t.id ? 1 : 0;
  } else {
    for (const auto& q : e.questionnaire(t.tool).items) expected += q.indicator == t.id ? 1 : 0;
  }
  achieved = t.to;
  if (items.empty() || items.size() != expected) return {};
  std::sort(items.begin(), items.end(),
            [](const ItemScore* a, const ItemScore* b) { return a->score < b->score; });
  const double n = static_cast<double>(items.size());
  const double need = (t.to - t.from) * n;
  std::vector<ItemTarget> out;
  if (t.tool == ToolId::OIT && e.oit.aggregation == OitAggregation::ItemMean) {
    double gained = 0;
    for (const ItemScore* s : items) {
      if (gained >= need - kEps) break;
      if (s->score >= 100) continue;
      out.push_back({s->code, t.id, s->score, 100.0});
      gained += 100.0 - s->score;
    }
    achieved = std::min(100.0, t.from + gained / n);
    return out;
  }
  if (t.tool == ToolId::OIT) return sub_indicator_plan(e, r, t, achieved);
  std::size_t k = 0;
  double headroom = 0;
  while (k < items.size() && headroom < need - kEps) headroom += 100.0 - items[k++]->score;
  std::vector<double> scores, raises(k, 0.0);
  std::vector<std::size_t> members;
  for (std::size_t j = 0; j < k; ++j) {
    scores.push_back(items[j]->score);
    members.push_back(j);
  }
  water_fill(members, scores, need, raises);
  for (std::size_t j = 0; j < k; ++j) {
    if (raises[j] > kEps)
      out.push_back({items[j]->code, t.id, scores[j], ceil2(scores[j] + raises[j])});
  }
  return out;
}

}  // namespace

WhatIf what_if(const Edition& e, const Result& r, std::size_t rule_index) {
  WhatIf w;
  w.current = r.level;
  const GradeRule& rule = e.grading.rules.at(rule_index);
  w.target = Level{rule.code, rule.label_th, rule_index};
  if (rule_holds(rule, round2(r.total), r.rounded_tools())) {
    w.reachable = true;
    w.new_total = r.total;
    w.new_tools = r.tools;
    return w;
  }
  auto plan = Planner(r, rule).best();
  if (!plan) {
    w.reason = "no set of indicator scores up to 100 meets the conditions of " + rule.label_th;
    return w;
  }
  std::map<int, double> scores;
  for (std::size_t i = 0; i < r.indicators.size(); ++i) {
    const auto& ind = r.indicators[i];
    double to = ind.score;
    if (plan->raises[i] > kEps) {
      IndicatorTarget t{ind.id, ind.tool, ind.score, ceil2(ind.score + plan->raises[i])};
      double achieved = t.to;
      auto items = item_plan(e, r, t, achieved);
      t.to = std::max(t.to, achieved);
      w.items.insert(w.items.end(), items.begin(), items.end());
      w.indicators.push_back(t);
      w.total_raise += t.to - t.from;
      to = t.to;
    }
    scores[ind.id] = to;
  }
  const Result after = make_result(e, scores);
  w.new_total = after.total;
  w.new_tools = after.tools;
  w.reachable = rule_holds(rule, round2(after.total), after.rounded_tools());
  if (!w.reachable) w.reason = "internal: the plan does not verify";
  return w;
}

WhatIf what_if_next(const Edition& e, const Result& r) {
  if (r.level.rule_index == 0) {
    WhatIf w;
    w.current = r.level;
    w.reachable = true;
    w.new_total = r.total;
    w.new_tools = r.tools;
    return w;
  }
  return what_if(e, r, r.level.rule_index - 1);
}

}  // namespace ita
