#include "core/audit.hpp"

#include <gtest/gtest.h>

#include "core/test_editions.hpp"

namespace ita {
namespace {

using testing::edition;

// The numbers the seed document states (its table, its text, its total, level and lists).
PublishedClaims seed_claims() {
  PublishedClaims c;
  for (const auto& [id, v] : testing::seed_indicators()) c.indicators[id].push_back({v, "ตารางลำดับคะแนน"});
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
  EXPECT_NE(reproduced[0]->message_th.find("91.32"), std::string::npos) << reproduced[0]->message_th;
  ASSERT_TRUE(r.consistent_values);
  EXPECT_DOUBLE_EQ(r.consistent_values->at(6), 85.07);

  // 83.64 listed among the strengths (≥ 85) is a second contradiction.
  const auto mis = of_kind(r, FindingKind::MisclassifiedStrength);
  ASSERT_EQ(mis.size(), 1u);
  EXPECT_NE(mis[0]->message_th.find("83.64"), std::string::npos);

  EXPECT_TRUE(of_kind(r, FindingKind::LevelMismatch).empty());
  EXPECT_TRUE(of_kind(r, FindingKind::RankingMismatch).empty());
  EXPECT_TRUE(of_kind(r, FindingKind::TotalMismatch).empty());
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

}  // namespace
}  // namespace ita
