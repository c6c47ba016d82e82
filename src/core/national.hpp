#pragma once
// National scoring: every round of a year in one streaming pass, columnar (docs/scaling.md).
//
// The edition is flattened once into dense tables: answer units numbered 0..n-1 in
// questionnaire order (IIT, then EIT), OIT items 0..m-1, and the points of each option of each
// unit after its reverse flag. A RoundTally then holds, per answer unit, a running (sum, count)
// in two plain arrays indexed by that number; the caller streams one round's answers in and
// finish() runs the aggregation of core/scoring.hpp over the arrays — unit mean → question mean
// → indicator mean → tool mean → weighted total, graded with grade(). The additions happen in
// the same order as in the per-round engine (AnswerTally + score()), so for the same rows in
// the same order the numbers are the same.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/edition.hpp"
#include "core/scoring.hpp"

namespace ita::national {

inline constexpr std::uint32_t kNoIndex = 0xFFFFFFFFu;

// An edition as dense tables for counting.
class EditionTables {
 public:
  explicit EditionTables(const Edition& e);

  const Edition& edition() const { return *edition_; }
  std::size_t units() const { return units_.size(); }
  std::size_t oit_items() const { return edition_->oit.items.size(); }
  // The dense index of an answer unit (sub-item, or question without sub-items) or OIT item;
  // kNoIndex when the edition has no such code.
  std::uint32_t unit_index(std::string_view code) const;
  std::uint32_t oit_index(std::string_view code) const;
  ToolId unit_tool(std::uint32_t unit) const { return units_[unit].tool; }
  const std::string& unit_code(std::uint32_t unit) const { return units_[unit].code; }
  std::size_t units_of(ToolId tool) const {
    return tool == ToolId::EIT ? eit_units_ : units_.size() - eit_units_;
  }

  // The points of `option` for the unit, after the reverse flag; NaN when the option is not in
  // the unit's scale.
  double points(std::uint32_t unit, std::string_view option) const {
    const Unit& u = units_[unit];
    if (option.size() == 1)
      return byte_points_[u.variant * 256 + static_cast<unsigned char>(option[0])];
    return long_points(u, option);
  }

 private:
  friend class RoundTally;
  struct Unit {
    std::string code;
    ToolId tool = ToolId::IIT;
    std::uint32_t variant = 0;  // (scale, reverse) pair: row of byte_points_
    AnswerUnitRef ref;
  };
  // A question of the IIT/EIT questionnaires: its units are [first, first + count).
  struct Question {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
    std::size_t item = 0;  // index in the tool's questionnaire
    ToolId tool = ToolId::IIT;
  };
  // How an indicator's score is made: the mean of its questions, or (OIT) oit_indicator_score
  // over the item scores.
  struct IndicatorPlan {
    int id = 0;
    ToolId tool = ToolId::IIT;
    std::vector<std::uint32_t> parts;  // question or OIT item indices
  };
  double long_points(const Unit& u, std::string_view option) const;

  const Edition* edition_;
  std::vector<Unit> units_;
  std::size_t eit_units_ = 0;
  std::vector<Question> questions_;
  std::vector<IndicatorPlan> indicators_;
  std::vector<double> byte_points_;  // variants × 256, NaN where no one-byte option exists
  std::unordered_map<std::string, std::uint32_t> unit_by_code_;
  std::unordered_map<std::string, std::uint32_t> oit_by_code_;
};

// Maps the unit codes of a stream of answers to dense indices. Answers arrive unit after unit
// in the same order for every respondent, so it remembers which unit followed each unit last
// time and checks that guess with one comparison before it falls back to the hash table.
class UnitInterner {
 public:
  explicit UnitInterner(const EditionTables& tables);
  std::uint32_t find(std::string_view code) {
    const std::uint32_t guess = next_[last_];
    if (guess != kNoIndex && tables_->unit_code(guess) == code) {
      last_ = guess;
      return guess;
    }
    return slow_find(code);
  }
  // The next code starts a new respondent.
  void restart() { last_ = static_cast<std::uint32_t>(next_.size() - 1); }

 private:
  std::uint32_t slow_find(std::string_view code);
  const EditionTables* tables_;
  std::vector<std::uint32_t> next_;  // per unit (plus one "start" slot): the unit seen after it
  std::uint32_t last_;
};

// Why a round has no result, or its result.
struct RoundOutcome {
  std::optional<Result> result;
  std::vector<std::string> missing;
};

// One round's running counts. Reused from round to round with clear().
class RoundTally {
 public:
  explicit RoundTally(const EditionTables& tables);

  void clear();
  // A new respondent of the tool starts (their answers follow).
  void respondent(ToolId tool) { ++respondents_[tool == ToolId::EIT ? 1 : 0]; }
  // One answer: the unit's dense index and the points of the option (EditionTables::points).
  void answer(std::uint32_t unit, double points) {
    sums_[unit] += points;
    counts_[unit] += 1;
  }
  // Looks the answer up and adds it; a unit the edition does not know, a unit of the other
  // tool or an option outside the scale is recorded as a problem and the round gets no result.
  void answer(ToolId tool, std::uint32_t unit, std::string_view unit_code, std::string_view option);
  // The effective OIT verdict of an item (pass = 100, fail = 0); a later one replaces it.
  void oit(std::uint32_t item, bool pass) { oit_[item] = pass ? 1 : 0; }
  // Data this round cannot be scored with (the reason is kept; the first few are reported).
  void problem(std::string why);
  // Adds the counts of another tally of the same round (a parallel stream's share). The sums
  // are then added in a different order than one stream would, which can move a mean by an ulp.
  void merge(const RoundTally& other);

  std::size_t respondents(ToolId tool) const {
    return tool == ToolId::OIT ? 0 : respondents_[tool == ToolId::EIT ? 1 : 0];
  }
  // The aggregation of core/scoring.hpp over the counts. `with_items` adds the question and OIT
  // item scores to the result (Result::items), as score(e, tally) does.
  RoundOutcome finish(bool with_items = true) const;

 private:
  const EditionTables* tables_;
  std::vector<double> sums_;
  std::vector<std::uint32_t> counts_;
  std::vector<std::int8_t> oit_;  // -1 not judged, 0 fail, 1 pass
  std::size_t respondents_[2] = {0, 0};
  std::vector<std::string> problems_;
  std::size_t problem_count_ = 0;
};

// What the national ranking needs of a scored round.
struct Standing {
  std::int64_t agency_id = 0;
  std::string edition;
  std::string province;
  std::string type;
  Rounded total;
};

// Ranks 1..n (1 = highest rounded total, equal totals by ascending agency id), among the rounds
// of the same edition: nationally, within the province, within the agency type.
struct Ranks {
  std::size_t national = 0;
  std::size_t province = 0;
  std::size_t type = 0;
};
std::vector<Ranks> rank_standings(const std::vector<Standing>& standings);

}  // namespace ita::national
