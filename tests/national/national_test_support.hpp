#pragma once
// Shared by the national tests: comparing two results field by field.
#include <gtest/gtest.h>

#include "core/scoring.hpp"

namespace ita::test {

// `exact_sums`: the same additions in the same order, so equal to the last bit; otherwise
// within 1e-9 (sums added in another order).
inline void expect_same_result(const Result& a, const Result& b, bool exact_sums) {
  const auto same = [&](double x, double y, const std::string& what) {
    if (exact_sums) {
      EXPECT_EQ(x, y) << what;
    } else {
      EXPECT_NEAR(x, y, 1e-9) << what;
    }
  };
  EXPECT_EQ(a.edition_id, b.edition_id);
  ASSERT_EQ(a.indicators.size(), b.indicators.size());
  for (std::size_t i = 0; i < a.indicators.size(); ++i) {
    EXPECT_EQ(a.indicators[i].id, b.indicators[i].id);
    EXPECT_EQ(a.indicators[i].tool, b.indicators[i].tool);
    same(a.indicators[i].score, b.indicators[i].score,
         "indicator " + std::to_string(a.indicators[i].id));
  }
  ASSERT_EQ(a.tools.size(), b.tools.size());
  for (std::size_t i = 0; i < a.tools.size(); ++i) {
    EXPECT_EQ(a.tools[i].id, b.tools[i].id);
    EXPECT_EQ(a.tools[i].weight, b.tools[i].weight);
    same(a.tools[i].score, b.tools[i].score, "tool " + std::to_string(i));
  }
  same(a.total, b.total, "total");
  EXPECT_EQ(a.level.code, b.level.code);
  EXPECT_EQ(a.level.label_th, b.level.label_th);
  EXPECT_EQ(a.respondents, b.respondents);
  if (!a.items.empty() && !b.items.empty()) {
    ASSERT_EQ(a.items.size(), b.items.size());
    for (std::size_t i = 0; i < a.items.size(); ++i) {
      EXPECT_EQ(a.items[i].code, b.items[i].code);
      EXPECT_EQ(a.items[i].tool, b.items[i].tool);
      EXPECT_EQ(a.items[i].indicator, b.items[i].indicator);
      EXPECT_EQ(a.items[i].respondents, b.items[i].respondents) << a.items[i].code;
      same(a.items[i].score, b.items[i].score, a.items[i].code);
    }
  }
}

}  // namespace ita::test
