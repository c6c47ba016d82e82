#pragma once
// What the measures document analyses: ranking, strengths/weaknesses, items to improve.
#include <map>
#include <string>
#include <vector>

#include "core/edition.hpp"
#include "core/rounding.hpp"
#include "core/scoring.hpp"

namespace ita {

struct RankedIndicator {
  int rank = 0;  // 1-based position; ties keep indicator-number order
  int id = 0;
  ToolId tool = ToolId::IIT;
  double score = 0;
  Rounded shown;
};

struct ItemFinding {
  std::string code;
  int indicator = 0;
  std::string text_th;
  double score = 0;
  Rounded shown;
};

struct Analysis {
  std::vector<RankedIndicator> ranking;
  std::vector<int> strengths;                           // in ranking order
  std::vector<int> weaknesses;                          // in ranking order
  std::map<int, std::vector<ItemFinding>> items_below;  // IIT/EIT questions under item_min
  std::vector<ItemFinding> oit_zero;                    // OIT items scoring 0
  Rounded strength_min;
  Rounded item_min;
};

// Ranks by rounded score, high to low; equal shown scores are ordered by indicator number.
std::vector<RankedIndicator> rank_indicators(const Result& r);

Analysis analyze(const Edition& e, const Result& r);

}  // namespace ita
