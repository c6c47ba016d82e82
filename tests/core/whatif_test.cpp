#include "core/whatif.hpp"

#include <gtest/gtest.h>

#include <random>

#include "core/test_editions.hpp"

namespace ita {
namespace {

using testing::edition;

Result with_scores(const char* ed, const std::map<int, double>& s) { return make_result(edition(ed), s); }

// Applies a plan and returns the new result.
Result apply(const char* ed, const Result& r, const WhatIf& w) {
  std::map<int, double> s;
  for (const auto& i : r.indicators) s[i.id] = i.score;
  for (const auto& t : w.indicators) s[t.id] = t.to;
  return with_scores(ed, s);
}

TEST(WhatIf, SeedNeedsOneEitIndicatorForGood) {
  const Result r = with_scores("2566", testing::seed_indicators());
  const WhatIf w = what_if_next(edition("2566"), r);
  ASSERT_TRUE(w.target);
  EXPECT_EQ(w.target->code, "good");
  ASSERT_TRUE(w.reachable);
  ASSERT_EQ(w.indicators.size(), 1u);
  // Any one EIT indicator needs the same raise; the weakest (8) is chosen.
  EXPECT_EQ(w.indicators[0].id, 8);
  EXPECT_DOUBLE_EQ(w.indicators[0].to, 85.38);
  const Result after = apply("2566", r, w);
  EXPECT_EQ(after.level.code, "good");
  EXPECT_EQ(format2(round2(after.tool_score(ToolId::EIT))), "85.00");
  // One hundredth less is not enough: the plan is tight.
  auto s = testing::seed_indicators();
  s[8] = 85.37;
  EXPECT_EQ(with_scores("2566", s).level.code, "pass");
}

TEST(WhatIf, ExcellentNeedsEveryToolAt95) {
  const Result r = with_scores("2566", testing::seed_indicators());
  const WhatIf w = what_if(edition("2566"), r, 0);
  ASSERT_TRUE(w.reachable);
  EXPECT_EQ(w.indicators.size(), 5u);  // 3 IIT (2 cannot close the gap) + 2 EIT
  EXPECT_EQ(apply("2566", r, w).level.code, "excellent");
}

TEST(WhatIf, TotalOnlyRulesPreferTheHeaviestIndicators) {
  std::map<int, double> s;
  for (int i = 1; i <= 10; ++i) s[i] = 65;
  const Result r = with_scores("2566", s);
  ASSERT_EQ(r.level.code, "urgent");
  const WhatIf w = what_if_next(edition("2566"), r);
  ASSERT_TRUE(w.reachable);
  // OIT indicators weigh 20% each: one of them raised by 25 lifts the total by 5.
  ASSERT_EQ(w.indicators.size(), 1u);
  EXPECT_EQ(w.indicators[0].tool, ToolId::OIT);
  EXPECT_EQ(apply("2566", r, w).level.code, "improve");
}

TEST(WhatIf, TopLevelAndUnreachable) {
  std::map<int, double> s;
  for (int i = 1; i <= 10; ++i) s[i] = 100;
  const WhatIf top = what_if_next(edition("2566"), with_scores("2566", s));
  EXPECT_FALSE(top.target);
  EXPECT_TRUE(top.reachable);
}

TEST(WhatIf, ItemPlanUsesTheFewestQuestions) {
  const Edition& e = edition("2564");
  ScoreInputs in;
  for (const auto& item : e.iit.items) in.items[item.code] = 90;
  for (const auto& item : e.eit.items) in.items[item.code] = item.indicator == 8 ? 70 : 90;
  for (const auto& o : e.oit.items) in.items[o.code] = 100;
  const Result r = score(e, in);  // EIT = (90+90+70)/3 = 83.33
  const WhatIf w = what_if(e, r, 0);  // AA: total ≥ 95
  ASSERT_TRUE(w.reachable);
  ASSERT_FALSE(w.items.empty());
  // Raising questions as planned gives at least the planned indicator scores.
  ScoreInputs after = in;
  for (const auto& t : w.items) after.items[t.code] = t.to;
  const Result r2 = score(e, after);
  for (const auto& t : w.indicators) EXPECT_GE(r2.indicator(t.id)->score + 1e-9, t.to - 0.01) << t.id;
  EXPECT_EQ(r2.level.code, "AA");
}

TEST(WhatIf, RandomPlansAlwaysVerifyAndAreMinimalInCount) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> score(40, 100);
  for (int n = 0; n < 200; ++n) {
    std::map<int, double> s;
    for (int i = 1; i <= 10; ++i) s[i] = std::round(score(rng) * 100) / 100;
    const Result r = with_scores("2566", s);
    const WhatIf w = what_if_next(edition("2566"), r);
    if (!w.target) continue;
    ASSERT_TRUE(w.reachable) << "case " << n;
    const Result after = apply("2566", r, w);
    EXPECT_LE(after.level.rule_index, w.target->rule_index) << "case " << n;
    // Minimal in count: no set of k-1 indicators reaches the target, even raised to 100.
    const std::size_t k = w.indicators.size();
    if (k == 0) continue;
    for (std::uint32_t mask = 0; mask < (1u << 10); ++mask) {
      if (static_cast<std::size_t>(__builtin_popcount(mask)) != k - 1) continue;
      auto best = s;
      for (int i = 0; i < 10; ++i) {
        if (mask & (1u << i)) best[i + 1] = 100;
      }
      ASSERT_GT(with_scores("2566", best).level.rule_index, w.target->rule_index) << "case " << n << " mask " << mask;
    }
  }
}

}  // namespace
}  // namespace ita
