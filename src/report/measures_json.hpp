#pragma once
// The measures plan as JSON ("ita-measures/1", docs/measures.md) and the recommended-measures
// library ("ita-measures-library/1", data/measures-library.json).
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/measures.hpp"

namespace ita::report {

// Parses a plan. Unknown fields, wrong types and bad codes or dates are FileErrors naming the
// file and the JSON path (e.g. "/measures/2/titel").
MeasuresPlan parse_measures(std::string_view text, const std::string& file);
MeasuresPlan load_measures(const std::string& path);

// The plan as "ita-measures/1" JSON: what parse_measures reads back unchanged.
nlohmann::ordered_json measures_json(const MeasuresPlan& plan);

// Parses a library; errors as for parse_measures.
MeasuresLibrary parse_measures_library(std::string_view text, const std::string& file);
// The library compiled into the binary (data/measures-library.json).
const MeasuresLibrary& builtin_measures_library();

}  // namespace ita::report
