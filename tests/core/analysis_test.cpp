#include "core/analysis.hpp"

#include <gtest/gtest.h>

#include "core/test_editions.hpp"

namespace ita {
namespace {

using testing::edition;

std::vector<int> ids(const std::vector<RankedIndicator>& r) {
  std::vector<int> out;
  for (const auto& x : r) out.push_back(x.id);
  return out;
}

TEST(Analysis, SeedRankingStrengthsAndWeaknesses) {
  const Result r = make_result(edition("2566"), testing::seed_indicators());
  const Analysis a = analyze(edition("2566"), r);
  EXPECT_EQ(ids(a.ranking), (std::vector<int>{9, 10, 1, 3, 5, 6, 7, 2, 4, 8}));
  EXPECT_EQ(a.ranking[0].rank, 1);
  EXPECT_EQ(a.ranking[9].rank, 10);
  EXPECT_EQ(a.strengths, (std::vector<int>{9, 10, 1, 3, 5, 6}));  // 6 at 85.07 is a strength
  EXPECT_EQ(a.weaknesses, (std::vector<int>{7, 2, 4, 8}));
}

TEST(Analysis, TiesAreOrderedByIndicatorNumber) {
  auto s = testing::seed_indicators();
  s[3] = 84.45;   // ties with indicator 2
  s[8] = 100;     // ties with 9 and 10
  s[7] = 84.454;  // shows as 84.45 too
  const Analysis a = analyze(edition("2566"), make_result(edition("2566"), s));
  EXPECT_EQ(ids(a.ranking), (std::vector<int>{8, 9, 10, 1, 5, 6, 2, 3, 7, 4}));
}

TEST(Analysis, ExactlyTheThresholdIsAStrength) {
  auto s = testing::seed_indicators();
  s[2] = 85.0;
  s[4] = 84.995;  // shows as 85.00
  s[8] = 84.99;
  const Analysis a = analyze(edition("2566"), make_result(edition("2566"), s));
  EXPECT_NE(std::find(a.strengths.begin(), a.strengths.end(), 2), a.strengths.end());
  EXPECT_NE(std::find(a.strengths.begin(), a.strengths.end(), 4), a.strengths.end());
  EXPECT_NE(std::find(a.weaknesses.begin(), a.weaknesses.end(), 8), a.weaknesses.end());
}

TEST(Analysis, ItemsUnder85GroupedByIndicatorAndOitZeros) {
  const Edition& e = edition("2564");
  ScoreInputs in;
  in.indicators = testing::seed_indicators();
  in.items = {{"I7", 84.99}, {"I8", 85}, {"I9", 60},  {"I25", 70},
              {"E1", 90},    {"O3", 0},  {"O40", 100}};
  const Result r = score(e, in);
  const Analysis a = analyze(e, r);
  ASSERT_EQ(a.items_below.size(), 2u);
  ASSERT_EQ(a.items_below.at(2).size(), 2u);
  EXPECT_EQ(a.items_below.at(2)[0].code, "I7");
  EXPECT_EQ(a.items_below.at(2)[1].code, "I9");
  EXPECT_FALSE(a.items_below.at(2)[0].text_th.empty());
  EXPECT_EQ(a.items_below.at(5)[0].code, "I25");
  ASSERT_EQ(a.oit_zero.size(), 1u);
  EXPECT_EQ(a.oit_zero[0].code, "O3");
  EXPECT_FALSE(a.oit_zero[0].text_th.empty());
}

}  // namespace
}  // namespace ita
