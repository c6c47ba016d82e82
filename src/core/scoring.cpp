#include "core/scoring.hpp"

#include <cmath>
#include <numeric>

#include "core/error.hpp"

namespace ita {

namespace {

std::string ind_name(int id) {
  return std::to_string(id);
}

bool valid_score(double v) {
  return std::isfinite(v) && v >= 0 && v <= 100;
}

double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

std::size_t survey_slot(ToolId t) {
  return t == ToolId::EIT ? 1 : 0;
}

}  // namespace

const IndicatorScore* Result::indicator(int id) const {
  for (const auto& i : indicators) {
    if (i.id == id) return &i;
  }
  return nullptr;
}

double Result::tool_score(ToolId t) const {
  for (const auto& tool : tools) {
    if (tool.id == t) return tool.score;
  }
  return 0;
}

std::vector<ToolRounded> Result::rounded_tools() const {
  std::vector<ToolRounded> out;
  for (const auto& t : tools) out.push_back({t.id, round2(t.score)});
  return out;
}

AnswerTally::AnswerTally(const Edition& edition) : edition_(edition) {
  for (ToolId t : {ToolId::IIT, ToolId::EIT}) {
    const auto& q = edition.questionnaire(t);
    for (std::size_t i = 0; i < q.items.size(); ++i) {
      for (std::size_t s = 0; s < q.items[i].sub_items.size(); ++s) {
        unit_index_.emplace(q.items[i].sub_items[s].code,
                            static_cast<std::uint32_t>(unit_refs_.size()));
        unit_refs_.push_back(AnswerUnitRef{i, s, t});
      }
    }
  }
  units_.resize(unit_refs_.size());
}

void AnswerTally::add(ToolId tool, std::string_view respondent, std::string_view unit,
                      std::string_view option) {
  if (tool == ToolId::OIT) throw InputError("tool", "OIT rows are verdicts, not answers");
  if (respondent.empty()) throw InputError("respondent", "expected a respondent id");
  auto u = unit_index_.find(std::string(unit));
  if (u == unit_index_.end()) {
    const auto& q = edition_.questionnaire(tool).items;
    const std::string example = q.empty() ? "" : " such as " + q.front().sub_items.front().code;
    throw InputError("item", "unknown item '" + std::string(unit) + "' in edition " + edition_.id +
                                 "; expected an answer code of its " +
                                 std::string(tool_code(tool)) + " questionnaire" + example);
  }
  const AnswerUnitRef& ref = unit_refs_[u->second];
  if (ref.tool != tool) {
    throw InputError("item", "item '" + std::string(unit) + "' belongs to " +
                                 std::string(tool_code(ref.tool)) + ", not " +
                                 std::string(tool_code(tool)));
  }
  const auto points = edition_.points(ref, option);
  if (!points) {
    std::string codes;
    for (const auto& o : edition_.scale_of(ref).options)
      codes += (codes.empty() ? "" : ", ") + o.code;
    throw InputError("answer", "answer '" + std::string(option) + "' is not in the scale of " +
                                   std::string(unit) + "; expected one of " + codes);
  }
  auto& ids = respondent_ids_[survey_slot(tool)];
  const auto rid =
      ids.emplace(std::string(respondent), static_cast<std::uint32_t>(ids.size())).first->second;
  const std::uint64_t key = (static_cast<std::uint64_t>(rid) << 32) | u->second;
  if (!seen_.insert(key).second) {
    throw InputError("item", "respondent '" + std::string(respondent) + "' answered " +
                                 std::string(unit) + " twice");
  }
  units_[u->second].sum += *points;
  units_[u->second].count += 1;
  ++answers_;
}

void AnswerTally::add_oit(std::string_view item, bool pass) {
  if (edition_.find_oit_item(item) == nullptr) {
    throw InputError("item",
                     "unknown OIT item '" + std::string(item) + "' in edition " + edition_.id);
  }
  oit_[std::string(item)] = pass;
}

std::size_t AnswerTally::respondents(ToolId tool) const {
  return tool == ToolId::OIT ? 0 : respondent_ids_[survey_slot(tool)].size();
}

std::vector<ItemScore> AnswerTally::item_scores() const {
  std::vector<ItemScore> out;
  std::size_t k = 0;
  for (ToolId t : {ToolId::IIT, ToolId::EIT}) {
    for (const auto& item : edition_.questionnaire(t).items) {
      std::vector<double> sub_means;
      std::size_t most = 0;
      for (const auto& sub : item.sub_items) {
        const Unit& u = units_[k++];
        if (u.count == 0) continue;
        sub_means.push_back(u.sum / u.count);
        most = std::max<std::size_t>(most, u.count);
        (void)sub;
      }
      if (sub_means.size() == item.sub_items.size()) {
        out.push_back({item.code, t, item.indicator, mean(sub_means), most});
      } else if (!sub_means.empty()) {
        throw InputError(item.code, "question " + item.code + " has answers for only " +
                                        std::to_string(sub_means.size()) + " of its " +
                                        std::to_string(item.sub_items.size()) + " sub-items");
      }
    }
  }
  for (const auto& o : edition_.oit.items) {
    auto it = oit_.find(o.code);
    if (it != oit_.end())
      out.push_back({o.code, ToolId::OIT, o.indicator, it->second ? 100.0 : 0.0, 0});
  }
  return out;
}

std::vector<ItemScore> item_scores_from_inputs(const Edition& e,
                                               const std::map<std::string, double>& items) {
  std::map<std::string, std::vector<double>> subs;  // question -> given sub-item scores
  std::map<std::string, double> questions;
  for (const auto& [code, value] : items) {
    if (!valid_score(value))
      throw InputError("items." + code, "score must be a number from 0 to 100");
    if (e.find_item(code) != nullptr || e.find_oit_item(code) != nullptr) {
      questions[code] = value;
    } else if (auto ref = e.find_answer_unit(code)) {
      subs[e.questionnaire(ref->tool).items[ref->item].code].push_back(value);
    } else {
      throw InputError("items." + code, "unknown item code '" + code + "' in edition " + e.id);
    }
  }
  std::vector<ItemScore> out;
  for (ToolId t : {ToolId::IIT, ToolId::EIT}) {
    for (const auto& item : e.questionnaire(t).items) {
      if (auto q = questions.find(item.code); q != questions.end()) {
        out.push_back({item.code, t, item.indicator, q->second, 0});
      } else if (auto s = subs.find(item.code); s != subs.end()) {
        if (s->second.size() != item.sub_items.size()) {
          throw InputError("items." + item.code, "question " + item.code + " has scores for only " +
                                                     std::to_string(s->second.size()) + " of its " +
                                                     std::to_string(item.sub_items.size()) +
                                                     " sub-items");
        }
        out.push_back({item.code, t, item.indicator, mean(s->second), 0});
      }
    }
  }
  for (const auto& o : e.oit.items) {
    if (auto q = questions.find(o.code); q != questions.end()) {
      out.push_back({o.code, ToolId::OIT, o.indicator, q->second, 0});
    }
  }
  return out;
}

namespace {

std::vector<std::string> codes_of_indicator(const Edition& e, const Indicator& ind) {
  std::vector<std::string> codes;
  if (ind.tool == ToolId::OIT) {
    for (const auto& o : e.oit.items) {
      if (o.indicator == ind.id) codes.push_back(o.code);
    }
  } else {
    for (const auto& item : e.questionnaire(ind.tool).items) {
      if (item.indicator == ind.id) codes.push_back(item.code);
    }
  }
  return codes;
}

}  // namespace

double oit_indicator_score(const Edition& e, int indicator, const std::vector<double>& items) {
  std::vector<double> v;
  if (e.oit.aggregation == OitAggregation::ItemMean) {
    for (std::size_t i = 0; i < e.oit.items.size(); ++i) {
      if (e.oit.items[i].indicator == indicator) v.push_back(items[i]);
    }
    return mean(v);
  }
  std::vector<double> subs;
  for (const auto& s : e.oit.sub_indicators) {
    if (s.indicator != indicator) continue;
    v.clear();
    for (std::size_t i = 0; i < e.oit.items.size(); ++i) {
      if (e.oit.items[i].sub_indicator == s.id) v.push_back(items[i]);
    }
    if (!v.empty()) subs.push_back(mean(v));
  }
  return mean(subs);
}

void check_given_indicators(const Edition& e, const std::map<int, double>& indicators) {
  for (const auto& [id, value] : indicators) {
    if (e.find_indicator(id) == nullptr) {
      throw InputError("indicators." + ind_name(id),
                       "edition " + e.id + " has no indicator " + ind_name(id));
    }
    if (!valid_score(value)) {
      throw InputError("indicators." + ind_name(id), "score must be a number from 0 to 100");
    }
  }
}

std::map<int, double> indicators_from_items(const Edition& e,
                                            const std::map<std::string, double>& items,
                                            const std::map<int, double>& given) {
  check_given_indicators(e, given);
  std::map<int, double> out = given;
  if (items.empty()) return out;  // make_result names what is missing
  for (const auto& ind : e.indicators) {
    if (out.contains(ind.id)) continue;
    const auto codes = codes_of_indicator(e, ind);
    const std::string field = "indicators." + ind_name(ind.id);
    if (codes.empty()) {
      throw InputError(
          field, "missing the score of indicator " + ind_name(ind.id) + "; edition " + e.id +
                     " lists no items for it (its item list is " +
                     std::string(provenance_code(
                         ind.tool == ToolId::OIT ? e.oit.provenance.status
                                                 : e.questionnaire(ind.tool).provenance.status)) +
                     "), so give the indicator score itself");
    }
    std::string missing;
    std::vector<double> values;
    for (const auto& c : codes) {
      auto it = items.find(c);
      if (it == items.end()) {
        missing += (missing.empty() ? "" : ", ") + c;
      } else {
        values.push_back(it->second);
      }
    }
    if (!missing.empty()) {
      throw InputError(field, "missing the score of indicator " + ind_name(ind.id) +
                                  " and of its items " + missing +
                                  "; give the indicator score or every item score");
    }
    if (ind.tool == ToolId::OIT) {
      // This indicator's items are all known (checked above); other indicators' are not used.
      std::vector<double> oit;
      for (const auto& o : e.oit.items) oit.push_back(items.count(o.code) ? items.at(o.code) : 0);
      out[ind.id] = oit_indicator_score(e, ind.id, oit);
    } else {
      out[ind.id] = mean(values);
    }
  }
  return out;
}

void finish_totals(const Edition& e, Result& r) {
  r.tools.clear();
  r.total = 0;
  std::vector<double> v;
  for (ToolId t : kAllTools) {
    v.clear();
    for (const auto& s : r.indicators) {
      if (s.tool == t) v.push_back(s.score);
    }
    const Tool* tool = e.find_tool(t);
    const double w = tool == nullptr ? 0 : tool->weight;
    r.tools.push_back({t, w, mean(v)});
    r.total += w * r.tools.back().score;
  }
  r.level = grade(e.grading, round2(r.total), r.rounded_tools());
}

Result make_result(const Edition& e, const std::map<int, double>& indicators,
                   std::vector<ItemScore> items) {
  check_given_indicators(e, indicators);
  Result r;
  r.edition_id = e.id;
  for (const auto& ind : e.indicators) {
    auto it = indicators.find(ind.id);
    if (it == indicators.end()) {
      throw InputError(
          "indicators." + ind_name(ind.id),
          "missing the score of indicator " + ind_name(ind.id) + " (" + ind.name_th + ")");
    }
    r.indicators.push_back({ind.id, ind.tool, it->second});
  }
  finish_totals(e, r);
  r.items = std::move(items);
  return r;
}

Result score(const Edition& e, const ScoreInputs& in) {
  auto items = item_scores_from_inputs(e, in.items);
  std::map<std::string, double> by_code;
  for (const auto& i : items) by_code[i.code] = i.score;
  return make_result(e, indicators_from_items(e, by_code, in.indicators), std::move(items));
}

Result score(const Edition& e, const AnswerTally& tally, const ScoreInputs& given) {
  auto items = tally.item_scores();
  auto extra = item_scores_from_inputs(e, given.items);
  std::map<std::string, double> by_code;
  for (const auto& i : items) by_code[i.code] = i.score;
  for (const auto& i : extra) {
    if (!by_code.contains(i.code)) {
      by_code[i.code] = i.score;
      items.push_back(i);
    }
  }
  Result r = make_result(e, indicators_from_items(e, by_code, given.indicators), std::move(items));
  for (ToolId t : {ToolId::IIT, ToolId::EIT}) r.respondents[t] = tally.respondents(t);
  return r;
}

}  // namespace ita
