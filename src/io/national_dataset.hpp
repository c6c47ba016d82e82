#pragma once
// `ita datagen`: a deterministic synthetic national data set — every agency of a year with its
// IIT/EIT respondents and OIT verdicts — for load tests and benchmarks (docs/scaling.md).
//
// The folder it writes (format "ita-national-dataset/1"):
//   agencies.csv  id,name,district,province,type,staff_count,service_users
//   answers.csv   agency,tool,respondent,item,answer — the `tool,respondent,item,answer` rows of
//                 io/answers_csv.hpp with the agency in front; grouped by agency, then tool
//                 (IIT, EIT), then respondent (numbered 1, 2, … per agency and tool), each
//                 respondent answering every answer unit of the questionnaire in edition order
//   oit.csv       agency,item,verdict — one pass/fail verdict per agency and OIT item
//   dataset.json  edition, seed and counts; written last, so its presence means complete
// Same options and seed → the same bytes. Memory does not grow with the number of answers:
// rows are generated agency by agency and streamed out.
#include <cstdint>
#include <string>

#include "core/edition.hpp"

namespace ita::io {

inline constexpr const char* kNationalDatasetFormat = "ita-national-dataset/1";

struct DatagenOptions {
  std::size_t agencies = 8300;
  std::size_t respondents = 1'350'000;  // IIT + EIT, about one third IIT
  std::uint64_t seed = 1;
  std::string out_dir;
};

struct DatagenSummary {
  std::size_t agencies = 0;
  std::size_t iit_respondents = 0;
  std::size_t eit_respondents = 0;
  std::size_t answers = 0;  // rows of answers.csv
  std::size_t oit_verdicts = 0;
};

// Writes the data set. InputError for impossible options (fewer than two respondents per
// agency, an edition without IIT/EIT units or OIT items); FileError when the folder cannot be
// written.
DatagenSummary generate_national_dataset(const Edition& e, const DatagenOptions& options);

}  // namespace ita::io
