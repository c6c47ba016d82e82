#pragma once
// Synthetic agencies for tests: raw answers generated from an edition file, and an independent
// calculation of the indicator scores straight from the edition JSON (not through ita::Edition).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ita::testing {

struct AnswerRow {
  std::string tool;
  std::string respondent;
  std::string item;
  std::string answer;
};

struct SyntheticAgency {
  std::vector<AnswerRow> rows;  // IIT/EIT answers and OIT verdicts
};

// Answers for `iit` and `eit` respondents over every answer unit of the edition at
// `edition_path`, with about `skip_percent` of answers left out, and an OIT verdict per item.
SyntheticAgency make_agency(const std::string& edition_path, std::uint32_t seed, int iit, int eit,
                            int skip_percent = 0);

std::string to_csv(const SyntheticAgency& a);

// Indicator scores computed independently: per answer unit the mean of its points (after the
// reverse flag), per question the mean of its units, per indicator the mean of its questions;
// OIT indicator = mean of its items' 100/0, or of its sub-indicators' means when the edition's
// aggregation is sub_indicator_mean.
std::map<int, double> independent_indicator_scores(const std::string& edition_path,
                                                   const SyntheticAgency& a);

std::string edition_path(const std::string& id);
std::string source_path(const std::string& relative);

}  // namespace ita::testing
