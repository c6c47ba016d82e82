#pragma once
// Scores from indicator scores, item scores or raw answers, all to one Result.
//
// Aggregation (docs/editions.md): answer points → sub-item mean over respondents → question
// mean of its sub-items → indicator mean of its questions (OIT: of its items or sub-indicators)
// → tool mean of its indicators → total = Σ weight·tool. Full precision throughout; rounding
// happens only when a value is shown or graded.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/edition.hpp"
#include "core/grading.hpp"
#include "core/rounding.hpp"

namespace ita {

struct IndicatorScore {
  int id = 0;
  ToolId tool = ToolId::IIT;
  double score = 0;
};

struct ToolScore {
  ToolId id = ToolId::IIT;
  double weight = 0;
  double score = 0;
};

// A question's (IIT/EIT) or an OIT item's score.
struct ItemScore {
  std::string code;
  ToolId tool = ToolId::IIT;
  int indicator = 0;
  double score = 0;
  std::size_t respondents = 0;  // raw answers only
};

struct Result {
  std::string edition_id;
  std::vector<IndicatorScore> indicators;  // in edition order, every indicator present
  std::vector<ToolScore> tools;            // IIT, EIT, OIT
  double total = 0;
  Level level;
  std::vector<ItemScore> items;  // when known, in edition order
  std::map<ToolId, std::size_t> respondents;

  const IndicatorScore* indicator(int id) const;
  double tool_score(ToolId t) const;
  std::vector<ToolRounded> rounded_tools() const;
};

// What an agency or a data file gives us; indicator scores given here win over computed ones.
struct ScoreInputs {
  std::map<int, double> indicators;
  std::map<std::string, double> items;  // question, sub-item or OIT item codes
};

// Accumulates raw answers in one pass: running sums per answer unit, duplicate detection.
class AnswerTally {
 public:
  explicit AnswerTally(const Edition& edition);

  // One respondent's answer to one answer unit; `option` is a code of the unit's scale.
  // Throws InputError naming the field at fault.
  void add(ToolId tool, std::string_view respondent, std::string_view unit,
           std::string_view option);
  // An OIT verdict for an item: pass = 100, fail = 0. A later verdict (appeal) replaces it.
  void add_oit(std::string_view item, bool pass);

  // Question and OIT item scores from what was added.
  std::vector<ItemScore> item_scores() const;
  std::size_t respondents(ToolId tool) const;
  std::size_t answers() const { return answers_; }

 private:
  struct Unit {
    double sum = 0;
    std::uint32_t count = 0;
  };
  const Edition& edition_;
  std::unordered_map<std::string, std::uint32_t> respondent_ids_[2];
  std::unordered_set<std::uint64_t> seen_;  // (respondent, unit) pairs
  std::unordered_map<std::string, std::uint32_t> unit_index_;
  std::vector<Unit> units_;
  std::vector<AnswerUnitRef> unit_refs_;
  std::map<std::string, bool> oit_;
  std::size_t answers_ = 0;
};

// Rejects unknown indicators and scores outside 0..100.
void check_given_indicators(const Edition& e, const std::map<int, double>& indicators);

// Indicator scores for every indicator not in `given`, from item scores. Throws InputError
// when an indicator cannot be computed (missing items, or the edition lists none for it).
std::map<int, double> indicators_from_items(const Edition& e,
                                            const std::map<std::string, double>& items,
                                            const std::map<int, double>& given);

// Normalises item inputs: sub-item scores are averaged into their question; codes are checked.
std::vector<ItemScore> item_scores_from_inputs(const Edition& e,
                                               const std::map<std::string, double>& items);

// Fills r.tools (IIT, EIT, OIT: the mean of each tool's indicators), r.total (Σ weight·tool)
// and r.level (grade() of the rounded total and tools) from r.indicators, which must hold every
// indicator of `e` in edition order; replaces what r.tools held. Throws InputError when no
// grade rule matches. The one place tools → total → level is computed (make_result, the
// national RoundTally::finish).
void finish_totals(const Edition& e, Result& r);

// The OIT indicator `indicator` from the scores of the edition's OIT items (`items[i]` is the
// score of e.oit.items[i]) by the edition's aggregation: the mean of the indicator's items, or of
// its sub-indicators, each the mean of its items (docs/editions.md). Every scorer calls this one.
double oit_indicator_score(const Edition& e, int indicator, const std::vector<double>& items);

// Tools, total and level from a complete set of indicator scores. Throws InputError on a
// missing, unknown or out-of-range indicator.
Result make_result(const Edition& e, const std::map<int, double>& indicators,
                   std::vector<ItemScore> items = {});

// The whole pipeline for given scores (indicators and/or items).
Result score(const Edition& e, const ScoreInputs& in);
// The whole pipeline for raw answers, with optional given scores taking precedence.
Result score(const Edition& e, const AnswerTally& tally, const ScoreInputs& given = {});

}  // namespace ita
