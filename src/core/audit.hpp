#pragma once
// Consistency audit of a published measures document: the numbers it states, checked against
// each other and against the edition's arithmetic and grading.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/edition.hpp"

namespace ita {

// One number as a document states it, and where (e.g. "ตารางลำดับคะแนน", "ข้อ ๓.๑ (๖)").
struct StatedValue {
  double value = 0;
  std::string where;
};

struct PublishedClaims {
  std::map<int, std::vector<StatedValue>> indicators;
  std::map<ToolId, std::vector<StatedValue>> tools;
  std::vector<StatedValue> totals;
  std::optional<std::string> level_label_th;
  std::optional<std::vector<int>> ranking;     // indicator ids, best first
  std::optional<std::vector<int>> strengths;   // as listed under จุดแข็ง
  std::optional<std::vector<int>> weaknesses;  // as listed under จุดอ่อน
};

enum class FindingKind {
  ConflictingValues,    // one indicator (or tool) stated with different values
  TotalReproduced,      // which stated values reproduce the stated total (information)
  TotalMismatch,        // no combination of stated values gives the stated total
  ToolMismatch,         // a stated tool score differs from the mean of its indicators
  TotalWithinRounding,  // the stated total differs from the computed one only by rounding
  ToolWithinRounding,   // a stated tool score differs from the computed one only by rounding
  LevelMismatch,        // the stated level is not what the rules give
  RankingMismatch,      // the stated order is not the order of the scores
  MisclassifiedStrength,
  MisclassifiedWeakness,
  Incomplete,  // not enough numbers stated to check something
};

std::string_view finding_code(FindingKind k);

// The values a computed total or tool score can take when each stated two-decimal input v
// stands for [v − 0.005, v + 0.005] (clamped to 0..100).
struct Interval {
  double low = 0;
  double high = 0;
};

struct Finding {
  FindingKind kind = FindingKind::Incomplete;
  std::string field;       // e.g. "indicators.6"
  std::string message_th;  // for the officer
  bool contradiction = true;
  std::optional<Interval> interval;  // total/tool findings: what the stated inputs allow
};

struct AuditReport {
  std::vector<Finding> findings;
  // The indicator values that reproduce the stated total, when one combination does.
  std::optional<std::map<int, double>> consistent_values;
  std::size_t contradictions() const;
};

// Checks the claims against each other and the edition. A stated total or tool score is
// consistent when it equals the computed one after rounding, or when its rounding interval
// [T − 0.005, T + 0.005] meets the Interval its stated inputs allow (then a *WithinRounding
// finding, not a contradiction). Throws InputError for a stated indicator outside 0..100 or a
// malformed edition (no grade rule matches).
AuditReport audit(const Edition& e, const PublishedClaims& claims);

}  // namespace ita
