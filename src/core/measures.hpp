#pragma once
// The measures plan an agency publishes after its ITA result (มาตรการส่งเสริมคุณธรรมและความโปร่งใส):
// how to improve each weak indicator (section ๔ of the document) and the measures with their
// steps, owners and follow-up (section ๕). Value types and pure functions only.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis.hpp"
#include "core/edition.hpp"
#include "core/scoring.hpp"
#include "core/thai.hpp"

namespace ita {

// How to improve on an indicator, optionally tied to one question or OIT item code.
struct ImprovementMethod {
  int indicator = 0;
  std::optional<std::string> item;
  std::string text_th;

  bool operator==(const ImprovementMethod&) const = default;
};

enum class MeasureStatus { Planned, InProgress, Done, Cancelled };
std::string_view measure_status_code(MeasureStatus s);
std::optional<MeasureStatus> parse_measure_status(std::string_view code);

// One row of the plan (มาตรการ/แนวทาง, ขั้นตอนหรือวิธีการ, ผู้รับผิดชอบ, การกำกับติดตาม).
struct Measure {
  std::string id;  // stable key for tracking, unique within a plan
  std::string title_th;
  std::vector<std::string> steps_th;
  std::string responsible_th;
  std::string monitoring_th;
  std::vector<int> indicators;  // the indicators it addresses; empty for a general measure
  // The date by which it is done, inside the plan's fiscal year; none = all year round.
  std::optional<std::chrono::year_month_day> due;
  MeasureStatus status = MeasureStatus::Planned;

  bool operator==(const Measure&) const = default;
};

// Who signs the published document (ลงชื่อ … ตำแหน่ง …) and the date it is announced
// (ประกาศ ณ วันที่ …). An empty field is printed as a dotted line, to be filled in by hand.
struct PlanSignature {
  std::string name_th;
  std::string position_th;
  std::optional<std::chrono::year_month_day> date;
  bool operator==(const PlanSignature&) const = default;
};

struct MeasuresPlan {
  FiscalYear fiscal_year;  // the year the measures run: the assessed year + 1
  std::vector<ImprovementMethod> methods;
  std::vector<Measure> measures;
  PlanSignature signature;

  bool operator==(const MeasuresPlan&) const = default;
};

// A problem in a plan, located by a JSON-pointer-like path ("/measures/2/due").
struct PlanProblem {
  std::string path;
  std::string message;
};

// Checks a plan against an edition: known indicators, due dates inside the fiscal year,
// unique non-empty measure ids, non-empty titles and method texts.
std::vector<PlanProblem> check_plan(const Edition& e, const MeasuresPlan& plan);

// ---- The recommended-measures library --------------------------------------------------

// When a library measure is due, relative to the plan's fiscal year.
enum class DueRule { AllYear, FirstHalf, YearEnd };
std::string_view due_rule_code(DueRule r);
std::optional<DueRule> parse_due_rule(std::string_view code);

struct LibraryMeasure {
  std::string id;
  std::string title_th;
  std::vector<std::string> steps_th;
  std::string responsible_th;
  std::string monitoring_th;
  std::vector<int> indicators;
  bool always = false;  // a general measure every plan includes
  DueRule due = DueRule::AllYear;
};

struct MeasuresLibrary {
  std::vector<ImprovementMethod> methods;  // per indicator (item-specific ones allowed)
  std::vector<LibraryMeasure> measures;
};

// The indicators a plan must address: the weaknesses, and the indicators of items under the
// item threshold and of OIT items at 0. Sorted by indicator number.
std::vector<int> indicators_to_improve(const Analysis& a);

// The default plan for a result: the library's methods for the indicators to improve (an
// item-specific method only when that item is listed), its measures for those indicators, and
// every `always` measure, in library order. The plan runs in the fiscal year after the edition's.
MeasuresPlan build_default_plan(const Edition& e, const Analysis& a,
                                const MeasuresLibrary& library);

}  // namespace ita
