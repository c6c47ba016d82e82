#include "core/national.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <tuple>

namespace ita::national {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kProblemsKept = 3;

// The mean as core/scoring.cpp takes it: a left-to-right sum from 0, then one division.
template <class Values>
double mean_of(const Values& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

}  // namespace

EditionTables::EditionTables(const Edition& e) : edition_(&e) {
  std::map<std::pair<std::string, bool>, std::uint32_t> variants;
  for (ToolId t : {ToolId::IIT, ToolId::EIT}) {
    const auto& q = e.questionnaire(t);
    for (std::size_t i = 0; i < q.items.size(); ++i) {
      Question question;
      question.first = static_cast<std::uint32_t>(units_.size());
      question.count = static_cast<std::uint32_t>(q.items[i].sub_items.size());
      question.item = i;
      question.tool = t;
      questions_.push_back(question);
      for (std::size_t s = 0; s < q.items[i].sub_items.size(); ++s) {
        const SubItem& sub = q.items[i].sub_items[s];
        Unit u;
        u.code = sub.code;
        u.tool = t;
        u.ref = AnswerUnitRef{i, s, t};
        const auto key = std::make_pair(sub.scale, sub.reverse);
        auto [it, added] = variants.emplace(key, static_cast<std::uint32_t>(variants.size()));
        u.variant = it->second;
        if (added) {
          byte_points_.resize(byte_points_.size() + 256, kNaN);
          for (const auto& o : e.scale_of(u.ref).options) {
            if (o.code.size() == 1) {
              byte_points_[u.variant * 256 + static_cast<unsigned char>(o.code[0])] =
                  *e.points(u.ref, o.code);
            }
          }
        }
        unit_by_code_.emplace(u.code, static_cast<std::uint32_t>(units_.size()));
        units_.push_back(std::move(u));
        if (t == ToolId::EIT) ++eit_units_;
      }
    }
  }
  for (std::size_t i = 0; i < e.oit.items.size(); ++i) {
    oit_by_code_.emplace(e.oit.items[i].code, static_cast<std::uint32_t>(i));
  }
  for (const auto& ind : e.indicators) {
    IndicatorPlan plan;
    plan.id = ind.id;
    plan.tool = ind.tool;
    if (ind.tool == ToolId::OIT) {
      // The engine lists an indicator's items (for "is anything missing") by indicator; the
      // score is oit_indicator_score's.
      for (std::size_t i = 0; i < e.oit.items.size(); ++i) {
        if (e.oit.items[i].indicator == ind.id) plan.parts.push_back(static_cast<std::uint32_t>(i));
      }
    } else {
      for (std::size_t q = 0; q < questions_.size(); ++q) {
        const Question& question = questions_[q];
        if (question.tool == ind.tool &&
            e.questionnaire(ind.tool).items[question.item].indicator == ind.id) {
          plan.parts.push_back(static_cast<std::uint32_t>(q));
        }
      }
    }
    indicators_.push_back(std::move(plan));
  }
}

std::uint32_t EditionTables::unit_index(std::string_view code) const {
  auto it = unit_by_code_.find(std::string(code));
  return it == unit_by_code_.end() ? kNoIndex : it->second;
}

std::uint32_t EditionTables::oit_index(std::string_view code) const {
  auto it = oit_by_code_.find(std::string(code));
  return it == oit_by_code_.end() ? kNoIndex : it->second;
}

double EditionTables::long_points(const Unit& u, std::string_view option) const {
  const auto p = edition_->points(u.ref, option);
  return p ? *p : kNaN;
}

UnitInterner::UnitInterner(const EditionTables& tables)
    : tables_(&tables),
      next_(tables.units() + 1, kNoIndex),
      last_(static_cast<std::uint32_t>(tables.units())) {}

std::uint32_t UnitInterner::slow_find(std::string_view code) {
  const std::uint32_t found = tables_->unit_index(code);
  if (found == kNoIndex) return kNoIndex;  // keep the guess chain as it was
  next_[last_] = found;
  last_ = found;
  return found;
}

RoundTally::RoundTally(const EditionTables& tables)
    : tables_(&tables),
      sums_(tables.units(), 0.0),
      counts_(tables.units(), 0),
      oit_(tables.oit_items(), -1) {}

void RoundTally::clear() {
  std::fill(sums_.begin(), sums_.end(), 0.0);
  std::fill(counts_.begin(), counts_.end(), 0u);
  std::fill(oit_.begin(), oit_.end(), std::int8_t{-1});
  respondents_[0] = respondents_[1] = 0;
  problems_.clear();
  problem_count_ = 0;
}

void RoundTally::answer(ToolId tool, std::uint32_t unit, std::string_view unit_code,
                        std::string_view option) {
  if (unit == kNoIndex) {
    problem("unknown answer unit '" + std::string(unit_code) + "' in edition " +
            tables_->edition().id);
    return;
  }
  if (tables_->unit_tool(unit) != tool) {
    problem("answer unit '" + std::string(unit_code) + "' belongs to " +
            std::string(tool_code(tables_->unit_tool(unit))) + ", not " +
            std::string(tool_code(tool)));
    return;
  }
  const double p = tables_->points(unit, option);
  if (std::isnan(p)) {
    problem("answer '" + std::string(option) + "' is not in the scale of " +
            std::string(unit_code));
    return;
  }
  answer(unit, p);
}

void RoundTally::problem(std::string why) {
  if (problems_.size() < kProblemsKept) problems_.push_back(std::move(why));
  ++problem_count_;
}

void RoundTally::merge(const RoundTally& other) {
  for (std::size_t u = 0; u < sums_.size(); ++u) {
    sums_[u] += other.sums_[u];
    counts_[u] += other.counts_[u];
  }
  for (std::size_t i = 0; i < oit_.size(); ++i) {
    if (other.oit_[i] >= 0) oit_[i] = other.oit_[i];
  }
  respondents_[0] += other.respondents_[0];
  respondents_[1] += other.respondents_[1];
  for (const auto& p : other.problems_) {
    if (problems_.size() < kProblemsKept) problems_.push_back(p);
  }
  problem_count_ += other.problem_count_;
}

RoundOutcome RoundTally::finish(bool with_items) const {
  RoundOutcome out;
  const Edition& e = tables_->edition();
  if (problem_count_ > 0) {
    out.missing = problems_;
    if (problem_count_ > problems_.size()) {
      out.missing.push_back("and " + std::to_string(problem_count_ - problems_.size()) +
                            " more answers of the same kinds");
    }
    return out;
  }
  if (respondents_[0] == 0) out.missing.push_back("no IIT respondents");
  if (respondents_[1] == 0) out.missing.push_back("no EIT respondents");
  std::string unjudged;
  for (std::size_t i = 0; i < oit_.size(); ++i) {
    if (oit_[i] < 0) unjudged += (unjudged.empty() ? "" : ", ") + e.oit.items[i].code;
  }
  if (!unjudged.empty()) out.missing.push_back("OIT items not judged: " + unjudged);
  if (!out.missing.empty()) return out;

  // Question scores (NaN: no answers), as AnswerTally::item_scores() makes them.
  const auto& questions = tables_->questions_;
  std::vector<double> question_score(questions.size(), kNaN);
  std::vector<std::uint32_t> question_most(questions.size(), 0);
  std::vector<double> means;
  for (std::size_t q = 0; q < questions.size(); ++q) {
    const auto& question = questions[q];
    means.clear();
    std::uint32_t most = 0;
    for (std::uint32_t u = question.first; u < question.first + question.count; ++u) {
      if (counts_[u] == 0) continue;
      means.push_back(sums_[u] / counts_[u]);
      most = std::max(most, counts_[u]);
    }
    const auto answered = means.size();
    if (answered == question.count) {
      question_score[q] = mean_of(means);
      question_most[q] = most;
    } else if (answered > 0) {
      const auto& item = e.questionnaire(question.tool).items[question.item];
      out.missing.push_back("question " + item.code + " has answers for only " +
                            std::to_string(answered) + " of its " + std::to_string(question.count) +
                            " sub-items");
      return out;
    }
  }

  // Indicators, as indicators_from_items() makes them.
  Result r;
  r.edition_id = e.id;
  r.indicators.reserve(tables_->indicators_.size());
  std::vector<double> values;
  std::vector<double> oit_scores;  // per OIT item, made at the first OIT indicator
  for (const auto& plan : tables_->indicators_) {
    if (plan.parts.empty()) {
      out.missing.push_back("edition " + e.id + " lists no items for indicator " +
                            std::to_string(plan.id));
      return out;
    }
    values.clear();
    double score = 0;
    if (plan.tool == ToolId::OIT) {
      if (oit_scores.empty()) {
        for (auto verdict : oit_) oit_scores.push_back(verdict ? 100.0 : 0.0);
      }
      score = oit_indicator_score(e, plan.id, oit_scores);
    } else {
      std::string unanswered;
      for (auto q : plan.parts) {
        if (std::isnan(question_score[q])) {
          unanswered += (unanswered.empty() ? "" : ", ") +
                        e.questionnaire(plan.tool).items[questions[q].item].code;
        } else {
          values.push_back(question_score[q]);
        }
      }
      if (!unanswered.empty()) {
        out.missing.push_back("indicator " + std::to_string(plan.id) + ": no answers for " +
                              unanswered);
        return out;
      }
      score = mean_of(values);
    }
    r.indicators.push_back({plan.id, plan.tool, score});
  }

  // Tools, total and level: the same function make_result() uses.
  finish_totals(e, r);
  if (with_items) {
    r.items.reserve(questions.size() + oit_.size());
    for (std::size_t q = 0; q < questions.size(); ++q) {
      if (std::isnan(question_score[q])) continue;
      const auto& item = e.questionnaire(questions[q].tool).items[questions[q].item];
      r.items.push_back(
          {item.code, questions[q].tool, item.indicator, question_score[q], question_most[q]});
    }
    for (std::size_t i = 0; i < oit_.size(); ++i) {
      const auto& o = e.oit.items[i];
      r.items.push_back({o.code, ToolId::OIT, o.indicator, oit_[i] ? 100.0 : 0.0, 0});
    }
  }
  r.respondents[ToolId::IIT] = respondents_[0];
  r.respondents[ToolId::EIT] = respondents_[1];
  out.result = std::move(r);
  return out;
}

std::vector<Ranks> rank_standings(const std::vector<Standing>& standings) {
  std::vector<Ranks> ranks(standings.size());
  std::vector<std::size_t> order(standings.size());
  // Sorts by (group, total desc, agency id) and numbers each group's rounds from 1.
  auto rank_within = [&](auto group_of, std::size_t Ranks::*slot) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const Standing& x = standings[a];
      const Standing& y = standings[b];
      const auto gx = group_of(x);
      const auto gy = group_of(y);
      if (gx != gy) return gx < gy;
      if (x.total != y.total) return x.total > y.total;
      if (x.agency_id != y.agency_id) return x.agency_id < y.agency_id;
      return a < b;
    });
    std::size_t n = 0;
    for (std::size_t k = 0; k < order.size(); ++k) {
      n = (k > 0 && group_of(standings[order[k]]) == group_of(standings[order[k - 1]])) ? n + 1 : 1;
      ranks[order[k]].*slot = n;
    }
  };
  rank_within([](const Standing& s) { return std::tie(s.edition); }, &Ranks::national);
  rank_within([](const Standing& s) { return std::tie(s.edition, s.province); }, &Ranks::province);
  rank_within([](const Standing& s) { return std::tie(s.edition, s.type); }, &Ranks::type);
  return ranks;
}

}  // namespace ita::national
