#include "core/audit.hpp"

#include <gtest/gtest.h>

#include "core/test_editions.hpp"

namespace ita {
namespace {

using testing::edition;

// The numbers the seed document states (its table, its text, its total, level and lists).
PublishedClaims seed_claims() {
  PublishedClaims c;
  for (const auto& [id, v] : testing::seed_indicators())
    c.indicators[id].push_back({v, "ตารางลำดับคะแนน"});
  c.indicators[6].push_back({83.64, "ข้อ ๓.๑ (๖)"});
  c.totals.push_back({91.47, "ข้อ ๒"});
  c.level_label_th = "ผ่าน";
  c.ranking = std::vector<int>{9, 10, 1, 3, 5, 6, 7, 2, 4, 8};
  c.strengths = std::vector<int>{9, 10, 1, 3, 5, 6};
  c.weaknesses = std::vector<int>{7, 2, 4, 8};
  return c;
}

std::vector<const Finding*> of_kind(const AuditReport& r, FindingKind k) {
  std::vector<const Finding*> out;
  for (const auto& f : r.findings) {
    if (f.kind == k) out.push_back(&f);
  }
  return out;
}

TEST(Audit, SeedIndicator6ContradictionAndWhichValueReproducesTheTotal) {
  const AuditReport r = audit(edition("2566"), seed_claims());
  const auto conflicts = of_kind(r, FindingKind::ConflictingValues);
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0]->field, "indicators.6");
  EXPECT_NE(conflicts[0]->message_th.find("85.07"), std::string::npos);
  EXPECT_NE(conflicts[0]->message_th.find("83.64"), std::string::npos);

  const auto reproduced = of_kind(r, FindingKind::TotalReproduced);
  ASSERT_EQ(reproduced.size(), 1u);
  EXPECT_NE(reproduced[0]->message_th.find("85.07"), std::string::npos);
  EXPECT_NE(reproduced[0]->message_th.find("91.32"), std::string::npos)
      << reproduced[0]->message_th;
  ASSERT_TRUE(r.consistent_values);
  EXPECT_DOUBLE_EQ(r.consistent_values->at(6), 85.07);

  // 83.64 listed among the strengths (≥ 85) is a second contradiction.
  const auto mis = of_kind(r, FindingKind::MisclassifiedStrength);
  ASSERT_EQ(mis.size(), 1u);
  EXPECT_NE(mis[0]->message_th.find("83.64"), std::string::npos);

  EXPECT_TRUE(of_kind(r, FindingKind::LevelMismatch).empty());
  EXPECT_TRUE(of_kind(r, FindingKind::RankingMismatch).empty());
  EXPECT_TRUE(of_kind(r, FindingKind::TotalMismatch).empty());
  EXPECT_TRUE(of_kind(r, FindingKind::TotalWithinRounding).empty());
  EXPECT_EQ(r.contradictions(), 2u);
}

TEST(Audit, ConsistentDocumentHasNoContradiction) {
  PublishedClaims c = seed_claims();
  c.indicators[6].pop_back();
  c.strengths = std::vector<int>{9, 10, 1, 3, 5, 6};
  const AuditReport r = audit(edition("2566"), c);
  EXPECT_EQ(r.contradictions(), 0u);
}

TEST(Audit, WrongTotalLevelRankingAndToolAreReported) {
  PublishedClaims c = seed_claims();
  c.indicators[6].pop_back();
  c.totals = {{92.00, "หน้า ๑"}};
  c.level_label_th = "ผ่านดี";
  c.ranking = std::vector<int>{9, 10, 1, 3, 5, 6, 2, 7, 4, 8};
  c.tools[ToolId::EIT] = {{85.11, "ตาราง"}};
  AuditReport r = audit(edition("2566"), c);
  EXPECT_EQ(of_kind(r, FindingKind::TotalMismatch).size(), 1u);
  EXPECT_FALSE(r.consistent_values);

  c.totals = {{91.47, "หน้า ๑"}};
  r = audit(edition("2566"), c);
  EXPECT_EQ(of_kind(r, FindingKind::LevelMismatch).size(), 1u);
  EXPECT_EQ(of_kind(r, FindingKind::RankingMismatch).size(), 1u);
  EXPECT_EQ(of_kind(r, FindingKind::ToolMismatch).size(), 1u);
}

TEST(Audit, MissingIndicatorsMakeItIncompleteNotWrong) {
  PublishedClaims c;
  c.indicators[1] = {{95.01, "x"}};
  c.weaknesses = std::vector<int>{1};
  const AuditReport r = audit(edition("2566"), c);
  EXPECT_EQ(of_kind(r, FindingKind::Incomplete).size(), 1u);
  EXPECT_EQ(of_kind(r, FindingKind::MisclassifiedWeakness).size(), 1u);
}

// Two-decimal indicators whose exact weighted total is 67.5346 (2566 weights 0.3/0.3/0.4):
// IIT mean 70.182, EIT 70, OIT 63.7; 0.3·70.182 + 0.3·70 + 0.4·63.7 = 67.5346 → 67.53.
PublishedClaims rounding_claims(double stated_total) {
  PublishedClaims c;
  const std::map<int, double> values = {{1, 70.18}, {2, 70.18}, {3, 70.18}, {4, 70.18},
                                        {5, 70.19}, {6, 70},    {7, 70},    {8, 70},
                                        {9, 63.70}, {10, 63.70}};
  for (const auto& [id, v] : values) c.indicators[id].push_back({v, "ตาราง"});
  c.totals.push_back({stated_total, "ข้อ ๒"});
  return c;
}

TEST(Audit, TotalOffByOneHundredthFromRoundingIsConsistent) {
  const AuditReport r = audit(edition("2566"), rounding_claims(67.54));
  EXPECT_EQ(r.contradictions(), 0u);
  EXPECT_TRUE(of_kind(r, FindingKind::TotalMismatch).empty());
  const auto within = of_kind(r, FindingKind::TotalWithinRounding);
  ASSERT_EQ(within.size(), 1u);
  EXPECT_FALSE(within[0]->contradiction);
  EXPECT_EQ(within[0]->field, "total");
  const std::string& m = within[0]->message_th;
  EXPECT_NE(m.find("สอดคล้อง (ต่างกันจากการปัดเศษ)"), std::string::npos) << m;
  EXPECT_NE(m.find("67.53"), std::string::npos) << m;
  EXPECT_NE(m.find("[67.5296, 67.5396]"), std::string::npos) << m;
  ASSERT_TRUE(within[0]->interval);
  EXPECT_NEAR(within[0]->interval->low, 67.5296, 1e-9);
  EXPECT_NEAR(within[0]->interval->high, 67.5396, 1e-9);
  ASSERT_TRUE(r.consistent_values);
  EXPECT_DOUBLE_EQ(r.consistent_values->at(5), 70.19);

  // The point computation itself is not a finding.
  const AuditReport exact = audit(edition("2566"), rounding_claims(67.53));
  EXPECT_EQ(exact.contradictions(), 0u);
  EXPECT_TRUE(exact.findings.empty());
}

TEST(Audit, TotalOutsideTheRoundingIntervalIsAContradiction) {
  for (double stated : {67.56, 67.51}) {
    const AuditReport r = audit(edition("2566"), rounding_claims(stated));
    const auto mismatch = of_kind(r, FindingKind::TotalMismatch);
    ASSERT_EQ(mismatch.size(), 1u) << stated;
    EXPECT_TRUE(mismatch[0]->contradiction);
    EXPECT_NE(mismatch[0]->message_th.find("[67.5296, 67.5396]"), std::string::npos)
        << mismatch[0]->message_th;
    EXPECT_TRUE(of_kind(r, FindingKind::TotalWithinRounding).empty());
    EXPECT_EQ(r.contradictions(), 1u);
    EXPECT_FALSE(r.consistent_values);
  }
}

TEST(Audit, ToolOffByOneHundredthWithinRoundingIsConsistent) {
  // IIT = mean(70.18 ×4, 70.19) = 70.182 → 70.18; the stated inputs allow [70.177, 70.187].
  PublishedClaims c = rounding_claims(67.53);
  c.tools[ToolId::IIT] = {{70.19, "ตาราง"}};
  c.tools[ToolId::OIT] = {{63.70, "ตาราง"}};
  AuditReport r = audit(edition("2566"), c);
  EXPECT_EQ(r.contradictions(), 0u);
  const auto within = of_kind(r, FindingKind::ToolWithinRounding);
  ASSERT_EQ(within.size(), 1u);
  EXPECT_EQ(within[0]->field, "tools.IIT");
  EXPECT_NE(within[0]->message_th.find("สอดคล้อง (ต่างกันจากการปัดเศษ)"), std::string::npos);
  EXPECT_NE(within[0]->message_th.find("[70.1770, 70.1870]"), std::string::npos)
      << within[0]->message_th;

  // 70.17 is also one hundredth off, but no value its inputs stand for rounds to it.
  c.tools[ToolId::IIT] = {{70.17, "ตาราง"}};
  r = audit(edition("2566"), c);
  const auto mismatch = of_kind(r, FindingKind::ToolMismatch);
  ASSERT_EQ(mismatch.size(), 1u);
  EXPECT_TRUE(mismatch[0]->contradiction);
  EXPECT_TRUE(of_kind(r, FindingKind::ToolWithinRounding).empty());
  EXPECT_EQ(r.contradictions(), 1u);
}

TEST(Audit, WithinRoundingDoesNotHideTheSeedConflict) {
  // The seed total stated one hundredth off: still reproduced by 85.07, within rounding, and
  // indicator 6 is still flagged.
  PublishedClaims c = seed_claims();
  c.totals = {{91.46, "ข้อ ๒"}};
  const AuditReport r = audit(edition("2566"), c);
  ASSERT_EQ(of_kind(r, FindingKind::ConflictingValues).size(), 1u);
  ASSERT_EQ(of_kind(r, FindingKind::TotalWithinRounding).size(), 1u);
  const auto reproduced = of_kind(r, FindingKind::TotalReproduced);
  ASSERT_EQ(reproduced.size(), 1u);
  EXPECT_NE(reproduced[0]->message_th.find("85.07"), std::string::npos);
  ASSERT_TRUE(r.consistent_values);
  EXPECT_DOUBLE_EQ(r.consistent_values->at(6), 85.07);
  EXPECT_EQ(r.contradictions(), 2u);  // the conflict and 83.64 among the strengths
}

TEST(Audit, ALevelOnAThresholdWithinRoundingIsConsistent) {
  PublishedClaims c;
  for (int id = 1; id <= 10; ++id) c.indicators[id].push_back({84.99, "ตาราง"});
  c.totals.push_back({85.00, "ข้อ ๒"});
  c.level_label_th = "ผ่านดี";  // NACC's unrounded scores may all be 84.995 or more
  const AuditReport r = audit(edition("2566"), c);
  EXPECT_EQ(r.contradictions(), 0u);
  EXPECT_TRUE(of_kind(r, FindingKind::LevelMismatch).empty());
  c.level_label_th = "ผ่านดีเยี่ยม";
  EXPECT_EQ(of_kind(audit(edition("2566"), c), FindingKind::LevelMismatch).size(), 1u);
}

}  // namespace
}  // namespace ita
