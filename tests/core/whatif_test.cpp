#include "core/whatif.hpp"

#include <gtest/gtest.h>

#include <random>

#include "core/test_editions.hpp"

namespace ita {
namespace {

using testing::edition;

Result with_scores(const char* ed, const std::map<int, double>& s) {
  return make_result(edition(ed), s);
}

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
  const Result r = score(e, in);      // EIT = (90+90+70)/3 = 83.33
  const WhatIf w = what_if(e, r, 0);  // AA: total ≥ 95
  ASSERT_TRUE(w.reachable);
  ASSERT_FALSE(w.items.empty());
  // Raising questions as planned gives at least the planned indicator scores.
  ScoreInputs after = in;
  for (const auto& t : w.items) after.items[t.code] = t.to;
  const Result r2 = score(e, after);
  for (const auto& t : w.indicators)
    EXPECT_GE(r2.indicator(t.id)->score + 1e-9, t.to - 0.01) << t.id;
  EXPECT_EQ(r2.level.code, "AA");
}

// Edition 2564 as it will be once its file says "aggregation": "sub_indicator_mean".
const Edition& sub_mean_2564() {
  static const Edition e = [] {
    Edition copy = edition("2564");
    copy.oit.aggregation = OitAggregation::SubIndicatorMean;
    copy.reindex();
    return copy;
  }();
  return e;
}

std::vector<std::string> oit_codes(const Edition& e, const std::string& sub) {
  std::vector<std::string> out;
  for (const auto& o : e.oit.items) {
    if (o.sub_indicator == sub) out.push_back(o.code);
  }
  return out;
}

TEST(WhatIf, SubIndicatorMeanPlansOitItemsByGain) {
  const Edition& e = sub_mean_2564();
  // Indicator 9 has five sub-indicators: 9.1 (9 items), 9.2 (8), 9.3 (7), 9.4 (4), 9.5 (5).
  ASSERT_EQ(oit_codes(e, "9.1").size(), 9u);
  ASSERT_EQ(oit_codes(e, "9.3").size(), 7u);
  ASSERT_EQ(oit_codes(e, "9.4").size(), 4u);
  ScoreInputs in;
  for (const auto& item : e.iit.items) in.items[item.code] = 95;
  for (const auto& item : e.eit.items) in.items[item.code] = 95;
  for (const auto& o : e.oit.items) in.items[o.code] = 100;
  const auto s91 = oit_codes(e, "9.1");
  const auto s93 = oit_codes(e, "9.3");
  const auto s94 = oit_codes(e, "9.4");
  // Failed: three of 9.1 (each worth 100/45 = 2.22 of indicator 9 when passed), one of 9.3
  // (100/35 = 2.86) and two of 9.4 (100/20 = 5).
  for (const auto& c : {s91[0], s91[1], s91[2], s93[0], s94[1], s94[2]}) in.items[c] = 0;
  const Result r = score(e, in);
  // 9 = mean(6/9, 1, 6/7, 2/4, 1) = 80.48; OIT 90.24; total 57 + 0.4·90.24 = 93.10 → A.
  EXPECT_NEAR(r.indicator(9)->score, (600.0 / 9 + 100 + 600.0 / 7 + 50 + 100) / 5, 1e-9);
  ASSERT_EQ(r.level.code, "A");

  const WhatIf w = what_if(e, r, 0);  // AA: total ≥ 95 needs indicator 9 ≥ 89.975
  ASSERT_TRUE(w.reachable) << w.reason;
  ASSERT_EQ(w.indicators.size(), 1u);
  EXPECT_EQ(w.indicators[0].id, 9);
  // The two 9.4 items (+5 each) reach it; any other pair gives at most 5 + 2.86.
  ASSERT_EQ(w.items.size(), 2u);
  EXPECT_EQ(w.items[0].code, s94[1]);
  EXPECT_EQ(w.items[1].code, s94[2]);
  for (const auto& t : w.items) {
    EXPECT_EQ(t.indicator, 9);
    EXPECT_EQ(t.from, 0);
    EXPECT_EQ(t.to, 100);
  }
  // `to` is what the items achieve, exactly as the engine computes it.
  ScoreInputs after = in;
  for (const auto& t : w.items) after.items[t.code] = t.to;
  const Result r2 = score(e, after);
  EXPECT_EQ(r2.indicator(9)->score, w.indicators[0].to);
  EXPECT_NEAR(w.indicators[0].to, (600.0 / 9 + 100 + 600.0 / 7 + 100 + 100) / 5, 1e-9);
  EXPECT_EQ(r2.level.code, "AA");
  EXPECT_DOUBLE_EQ(w.new_total, r2.total);
}

TEST(WhatIf, SubIndicatorMeanTakesTheFewestItemsAcrossSubIndicators) {
  const Edition& e = sub_mean_2564();
  ScoreInputs in;
  for (const auto& item : e.iit.items) in.items[item.code] = 95;
  for (const auto& item : e.eit.items) in.items[item.code] = 95;
  for (const auto& o : e.oit.items) in.items[o.code] = 100;
  const auto s91 = oit_codes(e, "9.1");
  const auto s93 = oit_codes(e, "9.3");
  const auto s94 = oit_codes(e, "9.4");
  // Six of 9.1 failed (2.22 each), three of 9.3 (2.86 each), one of 9.4 (5).
  for (std::size_t k = 0; k < 6; ++k) in.items[s91[k]] = 0;
  for (std::size_t k = 0; k < 3; ++k) in.items[s93[k]] = 0;
  in.items[s94[0]] = 0;
  const Result r = score(e, in);
  const double nine = (300.0 / 9 + 100 + 400.0 / 7 + 75 + 100) / 5;  // 73.24
  ASSERT_NEAR(r.indicator(9)->score, nine, 1e-9);
  const WhatIf w = what_if(e, r, 0);
  ASSERT_TRUE(w.reachable) << w.reason;
  ASSERT_EQ(w.indicators.size(), 1u);
  ASSERT_EQ(w.indicators[0].id, 9);
  const double need = w.indicators[0].to - nine;
  // Greedy by gain: 9.4 first, then 9.3 items, then 9.1 items, only as many as needed.
  std::vector<double> gains = {5, 100.0 / 35, 100.0 / 35, 100.0 / 35};
  for (int k = 0; k < 6; ++k) gains.push_back(100.0 / 45);
  std::size_t fewest = 0;
  for (double got = 0; got < need - 1e-9; got += gains[fewest++]) {
  }
  ASSERT_EQ(w.items.size(), fewest);
  EXPECT_EQ(w.items[0].code, s94[0]);
  for (std::size_t k = 1; k < w.items.size(); ++k) {
    const auto& code = w.items[k].code;
    const auto& expected = k <= 3 ? s93[k - 1] : s91[k - 4];
    EXPECT_EQ(code, expected) << k;
  }
  ScoreInputs after = in;
  for (const auto& t : w.items) after.items[t.code] = t.to;
  const Result r2 = score(e, after);
  EXPECT_EQ(r2.indicator(9)->score, w.indicators[0].to);
  EXPECT_EQ(r2.level.code, "AA");
  // One item fewer (the last one) is not enough.
  after.items[w.items.back().code] = 0;
  EXPECT_EQ(score(e, after).level.code, "A");
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
      ASSERT_GT(with_scores("2566", best).level.rule_index, w.target->rule_index)
          << "case " << n << " mask " << mask;
    }
  }
}

}  // namespace
}  // namespace ita
