#pragma once
// What changed from one edition to another (the previous year's and a new one), for an
// administrator's review page. Pure: editions in, plain structs out.
//
// Questions, sub-items and OIT items are paired by code and by text: a pair with the same code
// and different text is reworded (see DiffOptions::reword_similarity); a pair with different codes
// whose texts have a character-bigram Dice similarity ≥ the threshold (spaces removed) is
// renumbered; what is left unpaired is added or removed. Paired elements are also checked for a
// move (another indicator, sub-indicator or question), a scale change and a polarity change, and
// OIT items for a change of their criteria. Tool weights, the grading system and rules and the OIT
// aggregation are compared as settings.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/edition.hpp"

namespace ita {

enum class ChangeKind {
  Added,            // only in the new edition
  Removed,          // only in the old edition
  Reworded,         // same code, different text
  Renumbered,       // different code, similar text (similarity ≥ the threshold)
  Moved,            // to another indicator, sub-indicator (OIT: when both editions split
                    // the indicator into sub-indicators) or question (sub-item)
  ScaleChanged,     // the answer scale's options (codes or points) differ
  PolarityChanged,  // the reverse flag differs
  WeightChanged,    // a tool's weight
  RuleChanged,      // the grading system, a grade rule's conditions or label, the OIT aggregation
  CriteriaChanged,  // an OIT item's criteria_th (what its page must show), given or changed
};

// What a change is about.
enum class ChangeSubject {
  Question,        // an IIT/EIT question
  SubItem,         // a sub-item of a question
  OitItem,         // an OIT checklist item
  Tool,            // a tool (its weight)
  GradingSystem,   // five_level / letter
  GradeRule,       // one level of the grading table
  OitAggregation,  // item_mean / sub_indicator_mean
};

std::string_view change_kind_code(ChangeKind k);        // "added", "renumbered", …
std::string_view change_subject_code(ChangeSubject s);  // "question", "oit_item", …

struct EditionChange {
  ChangeKind kind = ChangeKind::Added;
  ChangeSubject subject = ChangeSubject::Question;
  std::optional<ToolId> tool;  // empty for grading changes
  std::string old_code;        // empty when absent from the old edition
  std::string new_code;        // empty when absent from the new edition
  std::string old_text;        // question/sub-item text, OIT item name, tool name, rule label
  std::string new_text;
  double similarity = 0;  // text_similarity(old_text, new_text); 0 when one side is absent
  // Moved: indicator id, sub-indicator id or question code; ScaleChanged: "id [code:points…]";
  // PolarityChanged: "normal" / "reverse"; WeightChanged: the weights; RuleChanged: the
  // system, the aggregation or a rule's conditions ("min_total 85, min_every_tool 85");
  // CriteriaChanged: the item's criteria_th (empty where an edition has none).
  std::string old_value;
  std::string new_value;
};

struct DiffOptions {
  double renumber_similarity = 0.8;  // least text similarity to pair two different codes
  // Least text similarity for a same-code pair to count as reworded; below it the old element
  // is removed and the new one added (a code reused for something else). 0: always reworded.
  double reword_similarity = 0;
};

// Character-bigram Dice coefficient of two UTF-8 texts after removing white space (including
// U+00A0 and zero-width spaces): 2·|common bigrams| / (|bigrams of a| + |bigrams of b|), counted
// as multisets of code-point pairs; 1 for texts equal after the removal, 0..1 otherwise.
double text_similarity(std::string_view a, std::string_view b);

// The changes from `old_e` to `new_e` in edition order: tool weights; IIT questions, each
// followed by its sub-items; EIT likewise; the OIT aggregation and items; grading. An element
// gone from the new edition is listed where it stood, after what preceded it. Never throws.
std::vector<EditionChange> diff_editions(const Edition& old_e, const Edition& new_e,
                                         const DiffOptions& options = {});

}  // namespace ita
