#pragma once
// Human-readable Thai output of the CLI. Numbers switch to Thai digits with `thai_digits`.
#include <string>

#include "core/analysis.hpp"
#include "core/audit.hpp"
#include "core/whatif.hpp"
#include "io/result_input.hpp"

namespace ita::cli {

struct TextStyle {
  bool thai_digits = false;
};

std::string score_text(const Edition& e, const Result& r, const io::AgencyInfo& agency,
                       TextStyle s);
std::string analysis_text(const Edition& e, const Result& r, const Analysis& a,
                          const io::AgencyInfo& agency, TextStyle s);
std::string whatif_text(const Edition& e, const WhatIf& w, TextStyle s);
std::string audit_text(const AuditReport& a, TextStyle s);
std::string edition_text(const Edition& e, TextStyle s);

}  // namespace ita::cli
