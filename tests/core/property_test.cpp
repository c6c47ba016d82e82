// Property tests over random inputs: bounds of the total, monotone grading, the rounding rule.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/scoring.hpp"
#include "core/test_editions.hpp"

namespace ita {
namespace {

using testing::edition;

std::map<int, double> random_scores(std::mt19937& rng) {
  std::uniform_real_distribution<double> d(0, 100);
  std::uniform_int_distribution<int> special(0, 9);
  std::map<int, double> s;
  for (int i = 1; i <= 10; ++i) {
    const int k = special(rng);
    s[i] = k == 0 ? 0 : k == 1 ? 100 : k == 2 ? std::round(d(rng) * 100) / 100 : d(rng);
  }
  return s;
}

TEST(Properties, TotalLiesWithinTheToolRange) {
  std::mt19937 rng(2566);
  for (int n = 0; n < 5000; ++n) {
    for (const char* ed : {"2564", "2566", "2568"}) {
      const Result r = make_result(edition(ed), random_scores(rng));
      double lo = 100, hi = 0;
      for (const auto& t : r.tools) {
        lo = std::min(lo, t.score);
        hi = std::max(hi, t.score);
      }
      ASSERT_GE(r.total, lo - 1e-9);
      ASSERT_LE(r.total, hi + 1e-9);
    }
  }
}

TEST(Properties, GradeIsMonotoneInTheTotal) {
  // Raising any indicator never lowers the level (rules are ordered best first).
  std::mt19937 rng(2567);
  std::uniform_int_distribution<int> which(1, 10);
  std::uniform_real_distribution<double> up(0, 30);
  for (const char* ed : {"2564", "2566"}) {
    for (int n = 0; n < 5000; ++n) {
      auto s = random_scores(rng);
      const Result before = make_result(edition(ed), s);
      const int i = which(rng);
      s[i] = std::min(100.0, s[i] + up(rng));
      const Result after = make_result(edition(ed), s);
      ASSERT_GE(after.total, before.total - 1e-12);
      ASSERT_LE(after.level.rule_index, before.level.rule_index) << ed << " case " << n;
    }
  }
}

TEST(Properties, SameToolsSameLevelAndHigherTotalNeverWorse) {
  // With all tools equal to t, the level is a non-increasing step function of t.
  for (const char* ed : {"2564", "2566"}) {
    std::size_t previous = edition(ed).grading.rules.size();
    for (int h = 0; h <= 10000; ++h) {
      const double t = h / 100.0;
      std::map<int, double> s;
      for (int i = 1; i <= 10; ++i) s[i] = t;
      const auto level = make_result(edition(ed), s).level.rule_index;
      ASSERT_LE(level, previous) << ed << " at " << t;
      previous = level;
    }
  }
}

TEST(Properties, RoundingRule) {
  std::mt19937 rng(91);
  std::uniform_int_distribution<std::int64_t> cents(0, 10000);
  std::uniform_real_distribution<double> frac(0, 1);
  for (int n = 0; n < 100000; ++n) {
    const std::int64_t c = cents(rng);
    // Every value written with 2 decimals rounds to itself.
    ASSERT_EQ(round2(static_cast<double>(c) / 100.0).hundredths, c);
    // A written half (x.xx5) rounds up.
    ASSERT_EQ(round2((static_cast<double>(c) + 0.5) / 100.0).hundredths, c + 1);
    // Any value strictly inside (c - 0.5, c + 0.5) hundredths rounds to c.
    const double inside = (static_cast<double>(c) - 0.499 + 0.998 * frac(rng)) / 100.0;
    ASSERT_EQ(round2(inside).hundredths, c) << inside;
    // Rounding is monotone.
    const double x = frac(rng) * 100, y = x + frac(rng);
    ASSERT_LE(round2(x), round2(y));
  }
}

}  // namespace
}  // namespace ita
