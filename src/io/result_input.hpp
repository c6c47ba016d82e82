#pragma once
// Score input files: "ita-result-input/1" JSON (indicator scores, item scores, or a pointer to
// raw answers) and raw-answer CSV files. All of them end in the same Result.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/audit.hpp"
#include "core/scoring.hpp"
#include "io/edition_registry.hpp"

namespace ita::io {

struct AgencyInfo {
  std::string name;
  std::string district;
  std::string province;
  std::string type;
};

struct ResultInput {
  std::string edition;
  AgencyInfo agency;
  ScoreInputs given;
  std::optional<std::string> answers_file;  // resolved against the input file's folder
  std::map<std::string, bool> oit_verdicts;
};

ResultInput parse_result_input(std::string_view text, const std::string& file);

struct ScoredInput {
  const Edition* edition = nullptr;
  AgencyInfo agency;
  Result result;
};

struct ScoreOptions {
  std::optional<std::string> edition;  // required for a CSV; overrides a JSON file's edition
};

// Scores a .json input or a .csv of raw answers. Errors are FileError (or InputError for an
// unknown edition) with the file and the field or line at fault.
ScoredInput score_file(const std::string& path, const EditionSet& editions,
                       const ScoreOptions& options = {});

// Claims of a published document ("ita-published-claims/1") for `ita audit`.
struct ClaimsInput {
  std::string edition;
  AgencyInfo agency;
  PublishedClaims claims;
};
ClaimsInput parse_claims(std::string_view text, const std::string& file);

}  // namespace ita::io
