// service/scoring.hpp (a round's readiness and result from the store) and core/privacy.hpp (the
// small-group rule applied before a result is shown).
#include "service/scoring.hpp"

#include <gtest/gtest.h>

#include "core/privacy.hpp"
#include "fixture.hpp"
#include "service/rounds.hpp"
#include "support/filled_round.hpp"

namespace ita::testing {
namespace {

class ScoringTest : public ServiceTest {};

TEST_P(ScoringTest, AnEmptyRoundSaysWhatIsMissingInOrder) {
  const Edition& e = edition("2564");
  const auto round = service::create_round(*store_, *catalog_,
                                           {agency_.id, "2564", 10, 100, false, false}, admin_.id);
  const service::RoundScore s = service::score_round(*store_, e, round);
  EXPECT_FALSE(s.result);
  ASSERT_EQ(s.missing.size(), 3U);
  EXPECT_EQ(s.missing[0], "ยังไม่มีผู้ตอบแบบวัด IIT");
  EXPECT_EQ(s.missing[1], "ยังไม่มีผู้ตอบแบบวัด EIT");
  EXPECT_EQ(s.missing[2].rfind("ข้อ OIT ที่ยังไม่ได้พิจารณา: O1, O2, ", 0), 0U) << s.missing[2];
  EXPECT_EQ(service::reasons(s.missing).find("ยังไม่มีผู้ตอบแบบวัด IIT; ยังไม่มีผู้ตอบแบบวัด EIT; "), 0U);
  EXPECT_TRUE(service::oit_verdicts(*store_, round.id).empty());
}

TEST_P(ScoringTest, AFilledRoundScoresAsTheScorerDoesOnTheSameAnswers) {
  const Edition& e = edition("2564");
  const FilledRound filled = fill_round(*store_, e, {0, "อบต.ตัวอย่าง", "", "น่าน", "อบต."}, 7, 9, 42);
  const service::RoundScore s = service::score_round(*store_, e, filled.round);
  ASSERT_TRUE(s.result) << service::reasons(s.missing);
  EXPECT_TRUE(s.missing.empty());
  EXPECT_DOUBLE_EQ(s.result->total, filled.expected.total);
  EXPECT_EQ(s.result->level.code, filled.expected.level.code);
  EXPECT_EQ(s.result->items.size(), filled.expected.items.size());
  EXPECT_EQ(service::oit_verdicts(*store_, filled.round.id), filled.verdicts);
}

TEST_P(ScoringTest, SmallGroupsLoseTheirItemFiguresAndNothingElse) {
  const Edition& e = edition("2564");
  const FilledRound filled = fill_round(*store_, e, {0, "อบต.เล็ก", "", "น่าน", "อบต."}, 3, 9, 7);
  const Result full = *service::score_round(*store_, e, filled.round).result;
  EXPECT_EQ(small_groups(full.respondents, 5), std::vector<ToolId>{ToolId::IIT});
  EXPECT_TRUE(small_groups(full.respondents, 3).empty()) << "3 respondents are not fewer than 3";
  const Result shown = without_small_group_items(full, 5);
  EXPECT_DOUBLE_EQ(shown.total, full.total);
  EXPECT_EQ(shown.indicators.size(), full.indicators.size());
  for (const auto& item : shown.items) EXPECT_NE(item.tool, ToolId::IIT) << item.code;
  EXPECT_LT(shown.items.size(), full.items.size());
  const auto notes = small_group_notes(full.respondents, 5);
  ASSERT_EQ(notes.size(), 1U);
  EXPECT_EQ(notes.front(),
            "ไม่แสดงคะแนนรายข้อและคำตอบดิบของแบบวัด IIT เพราะมีผู้ตอบ 3 คน (น้อยกว่า 5 คน) "
            "เพื่อไม่ให้ระบุได้ว่าใครตอบอย่างไร");
}

ITA_SERVICE_BACKENDS(ScoringTest);

TEST(PrivacyTest, OitAndToolsNobodyAnsweredAreNeverSmallGroups) {
  const std::map<ToolId, std::size_t> respondents = {
      {ToolId::IIT, 0}, {ToolId::EIT, 4}, {ToolId::OIT, 1}};
  EXPECT_EQ(small_groups(respondents, 5), std::vector<ToolId>{ToolId::EIT});
}

}  // namespace
}  // namespace ita::testing
