#pragma once
// JSON views of results, analyses, what-if plans and audits (the `--json` outputs and the API).
#include <nlohmann/json.hpp>

#include "core/analysis.hpp"
#include "core/audit.hpp"
#include "core/whatif.hpp"
#include "io/result_input.hpp"

namespace ita::io {

// A score shown to 2 decimals (half up), as a JSON number.
double shown(double raw);

nlohmann::json result_json(const Edition& e, const Result& r, const AgencyInfo& agency = {});
nlohmann::json analysis_json(const Edition& e, const Result& r, const Analysis& a,
                             const AgencyInfo& agency = {});
nlohmann::json whatif_json(const Edition& e, const WhatIf& w);
nlohmann::json audit_json(const AuditReport& a);
nlohmann::json edition_summary_json(const Edition& e);

}  // namespace ita::io
