#include "core/grading.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/scoring.hpp"
#include "core/test_editions.hpp"

namespace ita {
namespace {

using testing::edition;

// Grade of a result whose three tools score exactly iit/eit/oit.
std::string level_for(const char* ed, double iit, double eit, double oit) {
  std::map<int, double> s;
  for (int i = 1; i <= 5; ++i) s[i] = iit;
  for (int i = 6; i <= 8; ++i) s[i] = eit;
  for (int i = 9; i <= 10; ++i) s[i] = oit;
  return make_result(edition(ed), s).level.code;
}

TEST(Grading, FiveLevelCascade) {
  EXPECT_EQ(level_for("2566", 100, 100, 100), "excellent");
  EXPECT_EQ(level_for("2566", 95, 95, 95), "excellent");  // exactly 95.00 everywhere
  EXPECT_EQ(level_for("2566", 85, 85, 85), "good");       // exactly 85.00
  EXPECT_EQ(level_for("2566", 70, 70, 70), "improve");    // exactly 70.00
  EXPECT_EQ(level_for("2566", 69.99, 69.99, 69.99), "urgent");
  EXPECT_EQ(level_for("2566", 0, 0, 0), "urgent");
}

TEST(Grading, HighTotalWithAWeakToolFallsThrough) {
  // Total 96.6 ≥ 95 but EIT 94 < 95 → not excellent; every tool ≥ 85 → good.
  EXPECT_EQ(level_for("2566", 97, 94, 98), "good");
  // Total 95.4 ≥ 95 but EIT 84 < 85 → pass.
  EXPECT_EQ(level_for("2566", 100, 84, 100), "pass");
  // The seed: total 91.47, EIT 84.11 → pass.
  EXPECT_EQ(make_result(edition("2566"), testing::seed_indicators()).level.code, "pass");
}

TEST(Grading, RoundedValuesAreGraded) {
  // 84.995 in every indicator rounds to 85.00: tools and total are 85.00 → good.
  EXPECT_EQ(level_for("2566", 84.995, 84.995, 84.995), "good");
  EXPECT_EQ(level_for("2566", 84.9949, 84.9949, 84.9949), "improve");
  EXPECT_EQ(level_for("2566", 94.995, 94.995, 94.995), "excellent");
  EXPECT_EQ(level_for("2566", 69.995, 69.995, 69.995), "improve");
}

TEST(Grading, LetterGradesOfOldEditions) {
  EXPECT_EQ(level_for("2564", 95, 95, 95), "AA");
  EXPECT_EQ(level_for("2564", 94.99, 94.99, 94.99), "A");
  EXPECT_EQ(level_for("2564", 85, 85, 85), "A");
  EXPECT_EQ(level_for("2564", 84.995, 84.995, 84.995), "A");
  EXPECT_EQ(level_for("2564", 75, 75, 75), "B");
  EXPECT_EQ(level_for("2564", 65, 65, 65), "C");
  EXPECT_EQ(level_for("2564", 55, 55, 55), "D");
  EXPECT_EQ(level_for("2564", 50, 50, 50), "E");
  EXPECT_EQ(level_for("2564", 49.99, 49.99, 49.99), "F");
  // Letter grades have no every-tool condition.
  EXPECT_EQ(level_for("2564", 100, 90, 100), "AA");  // EIT 90 < 95, total 97
}

TEST(Grading, RuleHoldsChecksEveryTool) {
  GradeRule r{"good", "ผ่านดี", "", 85, 85};
  std::vector<ToolRounded> tools{
      {ToolId::IIT, Rounded{9000}}, {ToolId::EIT, Rounded{8499}}, {ToolId::OIT, Rounded{10000}}};
  EXPECT_FALSE(rule_holds(r, Rounded{9200}, tools));
  tools[1].score = Rounded{8500};
  EXPECT_TRUE(rule_holds(r, Rounded{9200}, tools));
  EXPECT_FALSE(rule_holds(r, Rounded{8499}, tools));
}

TEST(Grading, NoMatchingRuleIsAnError) {
  Grading g;
  g.rules.push_back({"x", "x", "", 50, std::nullopt});
  EXPECT_THROW(grade(g, Rounded{100}, {}), InputError);
}

}  // namespace
}  // namespace ita
