#pragma once
// Checks one respondent's IIT or EIT answers against the edition's questionnaire.
#include <map>
#include <string>
#include <vector>

#include "core/edition.hpp"

namespace ita {

struct AnswerProblem {
  std::string unit;     // the answer code at fault (e.g. "I12.3"), or "" for the whole form
  std::string message;  // Thai, for the respondent
};

// The surveys of `e` whose questionnaire is known to be incomplete (provenance "partial"): IIT,
// EIT, both or none. A round on such an edition is only a practice round, and its respondents are
// told (docs/editions.md, "Incomplete editions").
std::vector<ToolId> incomplete_surveys(const Edition& e);

// Every answer unit of the tool's questionnaire must be answered with an option of its scale,
// and nothing else may be sent. Empty when the answers are complete and valid.
std::vector<AnswerProblem> check_answers(const Edition& e, ToolId tool,
                                         const std::map<std::string, std::string>& answers);

}  // namespace ita
