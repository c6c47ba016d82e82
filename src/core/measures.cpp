#include "core/measures.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

namespace ita {

namespace {

constexpr std::array<std::pair<MeasureStatus, std::string_view>, 4> kStatusCodes{{
    {MeasureStatus::Planned, "planned"},
    {MeasureStatus::InProgress, "in_progress"},
    {MeasureStatus::Done, "done"},
    {MeasureStatus::Cancelled, "cancelled"},
}};

constexpr std::array<std::pair<DueRule, std::string_view>, 3> kDueCodes{{
    {DueRule::AllYear, "all_year"},
    {DueRule::FirstHalf, "first_half"},
    {DueRule::YearEnd, "year_end"},
}};

template <typename Enum, std::size_t N>
std::string_view code_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum v) {
  for (const auto& [e, code] : table) {
    if (e == v) return code;
  }
  return {};
}

template <typename Enum, std::size_t N>
std::optional<Enum> parse_code(const std::array<std::pair<Enum, std::string_view>, N>& table,
                               std::string_view c) {
  for (const auto& [e, code] : table) {
    if (code == c) return e;
  }
  return std::nullopt;
}

std::string at(const std::string& base, std::size_t index) {
  return base + "/" + std::to_string(index);
}

void check_method(const Edition& e, const ImprovementMethod& m, const std::string& path,
                  std::vector<PlanProblem>& out) {
  if (e.find_indicator(m.indicator) == nullptr) {
    out.push_back({path + "/indicator",
                   "indicator " + std::to_string(m.indicator) + " is not in edition " + e.id});
  }
  if (m.text_th.empty()) out.push_back({path + "/text_th", "the method text is empty"});
}

void check_measure(const Edition& e, FiscalYear fy, const Measure& m, const std::string& path,
                   std::vector<PlanProblem>& out) {
  if (m.id.empty()) out.push_back({path + "/id", "the measure id is empty"});
  if (m.title_th.empty()) out.push_back({path + "/title_th", "the measure title is empty"});
  for (std::size_t k = 0; k < m.indicators.size(); ++k) {
    if (e.find_indicator(m.indicators[k]) == nullptr) {
      out.push_back({at(path + "/indicators", k), "indicator " + std::to_string(m.indicators[k]) +
                                                      " is not in edition " + e.id});
    }
  }
  if (m.due && !fy.contains(*m.due)) {
    out.push_back({path + "/due", "the due date " + format_iso_date(*m.due) +
                                      " is outside fiscal year " + std::to_string(fy.be) + " (" +
                                      format_iso_date(fy.first_day()) + " to " +
                                      format_iso_date(fy.last_day()) + ")"});
  }
}

std::optional<std::chrono::year_month_day> due_date(DueRule rule, FiscalYear fy) {
  switch (rule) {
    case DueRule::FirstHalf:
      return fiscal_half_end(fy);
    case DueRule::YearEnd:
      return fy.last_day();
    case DueRule::AllYear:
      break;
  }
  return std::nullopt;
}

Measure from_library(const LibraryMeasure& m, FiscalYear fy) {
  return Measure{m.id,
                 m.title_th,
                 m.steps_th,
                 m.responsible_th,
                 m.monitoring_th,
                 m.indicators,
                 due_date(m.due, fy),
                 MeasureStatus::Planned};
}

bool intersects(const std::vector<int>& a, const std::set<int>& b) {
  return std::any_of(a.begin(), a.end(), [&](int x) { return b.count(x) > 0; });
}

std::set<std::string> listed_items(const Analysis& a) {
  std::set<std::string> codes;
  for (const auto& [indicator, findings] : a.items_below) {
    for (const auto& f : findings) codes.insert(f.code);
  }
  for (const auto& f : a.oit_zero) codes.insert(f.code);
  return codes;
}

}  // namespace

std::string_view measure_status_code(MeasureStatus s) {
  return code_of(kStatusCodes, s);
}

std::optional<MeasureStatus> parse_measure_status(std::string_view code) {
  return parse_code(kStatusCodes, code);
}

std::string_view due_rule_code(DueRule r) {
  return code_of(kDueCodes, r);
}

std::optional<DueRule> parse_due_rule(std::string_view code) {
  return parse_code(kDueCodes, code);
}

std::vector<PlanProblem> check_plan(const Edition& e, const MeasuresPlan& plan) {
  std::vector<PlanProblem> out;
  for (std::size_t k = 0; k < plan.methods.size(); ++k) {
    check_method(e, plan.methods[k], at("/improvement_methods", k), out);
  }
  std::set<std::string> ids;
  for (std::size_t k = 0; k < plan.measures.size(); ++k) {
    const Measure& m = plan.measures[k];
    check_measure(e, plan.fiscal_year, m, at("/measures", k), out);
    if (!m.id.empty() && !ids.insert(m.id).second) {
      out.push_back({at("/measures", k) + "/id", "the measure id \"" + m.id + "\" is used twice"});
    }
  }
  return out;
}

std::vector<int> indicators_to_improve(const Analysis& a) {
  std::set<int> ids(a.weaknesses.begin(), a.weaknesses.end());
  for (const auto& [indicator, findings] : a.items_below) {
    if (!findings.empty()) ids.insert(indicator);
  }
  for (const auto& f : a.oit_zero) ids.insert(f.indicator);
  return {ids.begin(), ids.end()};
}

MeasuresPlan build_default_plan(const Edition& e, const Analysis& a,
                                const MeasuresLibrary& library) {
  MeasuresPlan plan;
  plan.fiscal_year = FiscalYear{e.fiscal_year}.next();
  const std::vector<int> targets = indicators_to_improve(a);
  const std::set<int> target_set(targets.begin(), targets.end());
  const std::set<std::string> items = listed_items(a);
  for (int indicator : targets) {
    for (const auto& m : library.methods) {
      if (m.indicator != indicator) continue;
      if (m.item && items.count(*m.item) == 0) continue;
      plan.methods.push_back(m);
    }
  }
  for (const auto& m : library.measures) {
    if (m.always || intersects(m.indicators, target_set))
      plan.measures.push_back(from_library(m, plan.fiscal_year));
  }
  return plan;
}

}  // namespace ita
