#pragma once
// An ITA edition: one fiscal year's framework, as data. See docs/editions.md.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ita {

enum class ToolId { IIT, EIT, OIT };
inline constexpr ToolId kAllTools[] = {ToolId::IIT, ToolId::EIT, ToolId::OIT};

std::string_view tool_code(ToolId t);
std::optional<ToolId> parse_tool(std::string_view code);

enum class ProvenanceStatus { Official, Reconstructed, Partial };
std::string_view provenance_code(ProvenanceStatus s);
// The status as shown to a reader: ทางการ / สร้างจากแหล่งรอง / ไม่ครบถ้วน (JSON keeps the code).
std::string_view provenance_label_th(ProvenanceStatus s);
std::optional<ProvenanceStatus> parse_provenance(std::string_view code);

struct Provenance {
  ProvenanceStatus status = ProvenanceStatus::Partial;
  std::vector<std::string> sources;
  std::string notes;
};

struct Tool {
  ToolId id = ToolId::IIT;
  std::string name_th;
  std::string name_en;
  double weight = 0;
};

struct Indicator {
  int id = 0;
  ToolId tool = ToolId::IIT;
  std::string name_th;
  std::string name_en;
  std::string explanation_th;
};

struct ScaleOption {
  std::string code;
  std::string label_th;
  double points = 0;
};

struct Scale {
  std::string id;
  std::string name_th;
  std::vector<ScaleOption> options;
  Provenance provenance;

  const ScaleOption* find(std::string_view code) const;
  double min_points() const;
  double max_points() const;
};

// The unit a respondent answers: a sub-item, or a question without sub-items.
struct SubItem {
  std::string code;
  std::string text_th;
  std::string scale;
  bool reverse = false;
};

// A question of the IIT or EIT questionnaire.
struct Item {
  std::string code;
  ToolId tool = ToolId::IIT;
  int indicator = 0;
  std::string text_th;
  std::vector<SubItem> sub_items;  // never empty once loaded
  bool provisional_code = false;
};

struct Questionnaire {
  Provenance provenance;
  std::vector<Item> items;
};

struct OitSubIndicator {
  std::string id;
  int indicator = 0;
  std::string name_th;
};

struct OitItem {
  std::string code;
  std::string sub_indicator;  // empty when the edition has no sub-indicator split
  int indicator = 0;
  std::string name_th;
  // What the item's web page must show, as the NACC's manual details it (Thai, 1-3 lines);
  // empty when no source for the edition says. Shown beside the evidence; never scored.
  std::string criteria_th;
  // Words an evidence page for the item shows (any one of them), derived from its name and
  // criteria by the project, not from the NACC: the readiness check (core/oit_readiness.hpp)
  // looks for them. Empty when the edition gives none (not checked).
  std::vector<std::string> keywords_th;
  bool provisional = false;
};

enum class OitAggregation { ItemMean, SubIndicatorMean };

struct OitChecklist {
  Provenance provenance;
  OitAggregation aggregation = OitAggregation::ItemMean;
  std::vector<OitSubIndicator> sub_indicators;
  std::vector<OitItem> items;
};

// One level of the grading table; rules are tried in order, best level first.
struct GradeRule {
  std::string code;
  std::string label_th;
  std::string condition_th;
  double min_total = 0;
  std::optional<double> min_every_tool;
};

enum class GradingSystem { FiveLevel, Letter };

struct Grading {
  Provenance provenance;
  GradingSystem system = GradingSystem::FiveLevel;
  std::vector<GradeRule> rules;
};

// Minimum sample: clamp(ceil(fraction · population), min, max), but never above the population.
struct SampleRule {
  double fraction = 0;
  int min = 0;
  std::optional<int> max;
};
int sample_target(const SampleRule& rule, int population);

struct Sampling {
  Provenance provenance;
  SampleRule iit;
  SampleRule eit;
};

struct AnalysisRules {
  double strength_min = 85;
  double item_min = 85;
};

// Where an answer code lands: the item, its sub-item and the scale points after polarity.
struct AnswerUnitRef {
  std::size_t item = 0;      // index into the tool's questionnaire items
  std::size_t sub_item = 0;  // index into that item's sub_items
  ToolId tool = ToolId::IIT;
};

class Edition {
 public:
  std::string id;
  int fiscal_year = 0;
  std::string title_th;
  Provenance provenance;
  Provenance tools_provenance;
  Provenance indicators_provenance;
  std::vector<Tool> tools;
  std::vector<Indicator> indicators;
  std::map<std::string, Scale> scales;
  Questionnaire iit;
  Questionnaire eit;
  OitChecklist oit;
  Grading grading;
  AnalysisRules analysis;
  std::optional<Sampling> sampling;

  // Builds the lookup tables; call after the data members are filled.
  void reindex();

  const Tool* find_tool(ToolId t) const;
  const Indicator* find_indicator(int id) const;
  const Questionnaire& questionnaire(ToolId t) const;  // IIT or EIT
  const Item* find_item(std::string_view code) const;  // IIT/EIT question
  std::optional<AnswerUnitRef> find_answer_unit(std::string_view code) const;
  const OitItem* find_oit_item(std::string_view code) const;
  std::vector<int> indicators_of(ToolId t) const;
  // Points of `option` for the answer unit, after the reverse flag; nullopt if not in the scale.
  std::optional<double> points(const AnswerUnitRef& ref, std::string_view option) const;
  const Scale& scale_of(const AnswerUnitRef& ref) const;

 private:
  std::unordered_map<std::string, AnswerUnitRef> answer_units_;
  std::unordered_map<std::string, std::pair<ToolId, std::size_t>> items_;
  std::unordered_map<std::string, std::size_t> oit_items_;
};

// A semantic problem of an edition: the field it concerns (e.g. "iit.items[3].indicator",
// "tools.weights" for the sum of the weights, "grading.rules.last" for the last rule) and what is
// wrong, in English and in Thai.
struct EditionProblem {
  std::string field;
  std::string message_en;
  std::string message_th;
  // "iit.items[3].indicator: indicator 7 belongs to EIT, not IIT".
  std::string describe() const;
};

// Semantic checks of an edition (references, weights, rule order); empty when it is consistent.
std::vector<EditionProblem> check_edition(const Edition& e);

}  // namespace ita
