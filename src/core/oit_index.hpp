#pragma once
// An agency's OIT index: what it publishes for one fiscal year, the page agencies otherwise build
// by hand on their own websites. For each OIT item of the round's edition, in edition order, its
// code and name and the agency's evidence links, and the day the newest readiness check looked at
// it. Only what the agency makes public: no review, no note (service/oit_index.hpp builds it;
// report/oit_index.hpp renders it; "ita-oit-index/1" JSON: docs/oit-index.md).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ita {

struct OitIndexItem {
  std::string code;  // "O1"
  std::string name_th;
  int indicator = 0;
  std::vector<std::string> urls;  // the evidence URLs in the agency's order; empty: none yet
  // The day (in Thailand) the newest finished readiness check finished, when it checked this
  // item; none when no finished check did.
  std::optional<std::chrono::year_month_day> checked_on;
};

struct OitIndex {
  std::int64_t agency_id = 0;
  std::string agency_name;
  std::string agency_website;  // "" when unknown
  std::int64_t round_id = 0;
  std::string edition;                         // the edition's id, e.g. "2568"
  int fiscal_year = 0;                         // Buddhist Era, e.g. 2568
  std::chrono::year_month_day generated_on{};  // the day (in Thailand) the index was made
  std::vector<OitIndexItem> items;             // in the edition's order
};

}  // namespace ita
