#include "core/scoring.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "core/error.hpp"
#include "core/test_editions.hpp"
#include "io/answers_csv.hpp"
#include "support/synthetic.hpp"

namespace ita {
namespace {

using testing::edition;

TEST(Scoring, ReproducesTheSeedResult) {
  const Result r = make_result(edition("2566"), testing::seed_indicators());
  EXPECT_EQ(format2(round2(r.total)), "91.47");
  EXPECT_NEAR(r.total, 91.4654, 1e-9);
  EXPECT_EQ(format2(round2(r.tool_score(ToolId::IIT))), "87.44");
  EXPECT_EQ(format2(round2(r.tool_score(ToolId::EIT))), "84.11");
  EXPECT_EQ(format2(round2(r.tool_score(ToolId::OIT))), "100.00");
  EXPECT_EQ(r.level.code, "pass");
  EXPECT_EQ(r.level.label_th, "ผ่าน");
}

TEST(Scoring, TheSeedStillGives9147PassWhenItsOitIsGivenAsItemsUnderSubIndicatorMeans) {
  const Edition& e = edition("2566");
  ASSERT_EQ(e.oit.aggregation, OitAggregation::SubIndicatorMean);
  ScoreInputs in;
  in.indicators = testing::seed_indicators();
  in.indicators.erase(9);
  in.indicators.erase(10);
  for (const auto& o : e.oit.items) in.items[o.code] = 100;  // the seed: OIT 100 / 100
  const Result r = score(e, in);
  EXPECT_DOUBLE_EQ(r.indicator(9)->score, 100);
  EXPECT_DOUBLE_EQ(r.indicator(10)->score, 100);
  EXPECT_EQ(format2(round2(r.total)), "91.47");
  EXPECT_EQ(r.level.code, "pass");
  EXPECT_EQ(r.level.label_th, "ผ่าน");
}

TEST(Scoring, TheSeedTextValueOfIndicator6DoesNotReproduceTheTotal) {
  auto s = testing::seed_indicators();
  s[6] = 83.64;
  EXPECT_EQ(format2(round2(make_result(edition("2566"), s).total)), "91.32");
}

TEST(Scoring, MissingIndicatorIsNamed) {
  auto s = testing::seed_indicators();
  s.erase(7);
  try {
    make_result(edition("2566"), s);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "indicators.7");
    EXPECT_NE(std::string(e.what()).find("indicator 7"), std::string::npos);
  }
}

TEST(Scoring, OutOfRangeAndUnknownIndicatorsAreRejected) {
  auto s = testing::seed_indicators();
  s[3] = 100.5;
  EXPECT_THROW(make_result(edition("2566"), s), InputError);
  s[3] = -1;
  EXPECT_THROW(make_result(edition("2566"), s), InputError);
  s[3] = std::nan("");
  EXPECT_THROW(make_result(edition("2566"), s), InputError);
  s = testing::seed_indicators();
  s[11] = 50;
  try {
    make_result(edition("2566"), s);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "indicators.11");
  }
}

TEST(Scoring, ItemScoresGiveIndicatorScores) {
  const Edition& e = edition("2564");
  ScoreInputs in;
  // Every IIT/EIT question and OIT item: question score = 80 + indicator, OIT all pass but O1.
  for (const auto& item : e.iit.items) in.items[item.code] = 80.0 + item.indicator;
  for (const auto& item : e.eit.items) in.items[item.code] = 80.0 + item.indicator;
  for (const auto& o : e.oit.items) in.items[o.code] = o.code == "O1" ? 0 : 100;
  const Result r = score(e, in);
  EXPECT_DOUBLE_EQ(r.indicator(1)->score, 81);
  EXPECT_DOUBLE_EQ(r.indicator(8)->score, 88);
  // 2564 averages OIT sub-indicators: O1 fails, so 9.1 (9 items) is 8/9 and indicator 9 is the
  // mean of 9.1-9.5.
  std::size_t n91 = 0, subs9 = 0;
  for (const auto& o : e.oit.items) n91 += o.sub_indicator == "9.1" ? 1 : 0;
  for (const auto& s : e.oit.sub_indicators) subs9 += s.indicator == 9 ? 1 : 0;
  ASSERT_EQ(e.oit.aggregation, OitAggregation::SubIndicatorMean);
  const double s91 = 100.0 * static_cast<double>(n91 - 1) / static_cast<double>(n91);
  EXPECT_NEAR(r.indicator(9)->score,
              (s91 + 100.0 * static_cast<double>(subs9 - 1)) / static_cast<double>(subs9), 1e-9);
  EXPECT_EQ(format2(round2(r.indicator(9)->score)), "97.78");
  EXPECT_DOUBLE_EQ(r.indicator(10)->score, 100);
  EXPECT_EQ(r.items.size(), e.iit.items.size() + e.eit.items.size() + e.oit.items.size());
}

TEST(Scoring, SubItemScoresAverageIntoTheirQuestion) {
  const Edition& e = edition("2564");
  ScoreInputs in = {testing::seed_indicators(), {{"I1.1", 80}, {"I1.2", 90}}};
  const Result r = score(e, in);
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_EQ(r.items[0].code, "I1");
  EXPECT_DOUBLE_EQ(r.items[0].score, 85);
  // Given indicator scores win over computed ones.
  EXPECT_DOUBLE_EQ(r.indicator(1)->score, 95.01);
}

TEST(Scoring, IncompleteItemsNameWhatIsMissing) {
  const Edition& e = edition("2564");
  ScoreInputs in;
  in.indicators = testing::seed_indicators();
  in.indicators.erase(2);
  in.items = {{"I7", 90}};
  try {
    score(e, in);
    FAIL();
  } catch (const InputError& err) {
    EXPECT_EQ(err.field(), "indicators.2");
    EXPECT_NE(std::string(err.what()).find("I8"), std::string::npos) << err.what();
  }
  in.items = {{"I99", 90}};
  EXPECT_THROW(score(e, in), InputError);
}

TEST(Scoring, PartialEditionsSayWhyAnIndicatorCannotBeComputed) {
  ScoreInputs in;
  in.indicators = testing::seed_indicators();
  in.indicators.erase(1);  // 2566 lists no IIT items for indicator 1
  in.items = {{"I2-1", 80}};
  try {
    score(edition("2566"), in);
    FAIL();
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("partial"), std::string::npos) << err.what();
  }
}

// Indicators 1-8 as in the seed, and every OIT item of `e` passing except `failed`.
ScoreInputs oit_pattern(const Edition& e, std::initializer_list<const char*> failed) {
  ScoreInputs in;
  in.indicators = testing::seed_indicators();
  in.indicators.erase(9);
  in.indicators.erase(10);
  for (const auto& o : e.oit.items) in.items[o.code] = 100;
  for (const char* code : failed) in.items.at(code) = 0;
  return in;
}

std::string sub_indicator_of(const Edition& e, const char* code) {
  const OitItem* o = e.find_oit_item(code);
  return o == nullptr ? "" : o->sub_indicator;
}

TEST(Scoring, OitIndicatorsReproduceNaccPublishedValuesOnEdition2564) {
  const Edition& e = edition("2564");
  ASSERT_EQ(e.oit.aggregation, OitAggregation::SubIndicatorMean);
  ASSERT_EQ(sub_indicator_of(e, "O10"), "9.2");
  ASSERT_EQ(sub_indicator_of(e, "O18"), "9.3");
  ASSERT_EQ(sub_indicator_of(e, "O34"), "10.1");
  ASSERT_EQ(sub_indicator_of(e, "O35"), "10.1");

  // One failed item in 9.2: (4 x 100 + 7/8 x 100) / 5 = 97.50 (an item mean would give 96.97).
  const Result one = score(e, oit_pattern(e, {"O10"}));
  EXPECT_DOUBLE_EQ(one.indicator(9)->score, 97.5);
  EXPECT_EQ(format2(round2(one.indicator(9)->score)), "97.50");
  EXPECT_DOUBLE_EQ(one.indicator(10)->score, 100);

  // One failed in 9.2 and one in 9.3: (3 x 100 + 87.5 + 6/7 x 100) / 5 = 94.643 -> 94.64.
  const Result two = score(e, oit_pattern(e, {"O10", "O18"}));
  EXPECT_NEAR(two.indicator(9)->score, (300.0 + 87.5 + 600.0 / 7.0) / 5.0, 1e-9);
  EXPECT_EQ(format2(round2(two.indicator(9)->score)), "94.64");

  // Two failed in 10.1: (6/8 x 100 + 100) / 2 = 87.50 (an item mean would give 80.00).
  const Result ten = score(e, oit_pattern(e, {"O34", "O35"}));
  EXPECT_DOUBLE_EQ(ten.indicator(10)->score, 87.5);
  EXPECT_EQ(format2(round2(ten.indicator(10)->score)), "87.50");
  EXPECT_DOUBLE_EQ(ten.indicator(9)->score, 100);
}

Result score_csv(const Edition& e, const std::string& csv) {
  AnswerTally tally(e);
  std::istringstream in(csv);
  io::read_answers_csv(in, "answers.csv", tally);
  return score(e, tally);
}

TEST(Scoring, RawAnswersMatchAnIndependentCalculation) {
  for (std::uint32_t seed : {1u, 2u, 3u, 42u}) {
    const auto agency = testing::make_agency(testing::edition_path("2564"), seed,
                                             23 + static_cast<int>(seed), 41, 10);
    const Result r = score_csv(edition("2564"), testing::to_csv(agency));
    const auto expected =
        testing::independent_indicator_scores(testing::edition_path("2564"), agency);
    ASSERT_EQ(expected.size(), 10u);
    for (const auto& [id, value] : expected) {
      EXPECT_NEAR(r.indicator(id)->score, value, 1e-9) << "seed " << seed << " indicator " << id;
    }
    EXPECT_EQ(r.respondents.at(ToolId::IIT), 23u + seed);
    EXPECT_EQ(r.respondents.at(ToolId::EIT), 41u);
  }
}

TEST(Scoring, ReverseItemsFlipPoints) {
  const Edition& e = edition("2564");
  // I9 is a reverse 4-level item: "มากที่สุด" (4) is the worst answer.
  const auto ref = e.find_answer_unit("I9");
  ASSERT_TRUE(ref);
  EXPECT_DOUBLE_EQ(*e.points(*ref, "4"), 0);
  EXPECT_DOUBLE_EQ(*e.points(*ref, "1"), 100);
  // I4.1 is a yes/no reverse item: "มี" (Y) scores 0.
  const auto yn = e.find_answer_unit("I4.1");
  ASSERT_TRUE(yn);
  EXPECT_DOUBLE_EQ(*e.points(*yn, "Y"), 0);
  EXPECT_DOUBLE_EQ(*e.points(*yn, "N"), 100);
  EXPECT_FALSE(e.points(*yn, "3"));
}

TEST(Scoring, TallyRejectsBadAnswers) {
  const Edition& e = edition("2564");
  AnswerTally t(e);
  EXPECT_THROW(t.add(ToolId::IIT, "r1", "I999", "1"), InputError);
  EXPECT_THROW(t.add(ToolId::IIT, "r1", "I1.1", "7"), InputError);
  EXPECT_THROW(t.add(ToolId::EIT, "r1", "I1.1", "1"), InputError);  // an IIT item in an EIT row
  EXPECT_THROW(t.add(ToolId::IIT, "", "I1.1", "1"), InputError);
  t.add(ToolId::IIT, "r1", "I1.1", "1");
  EXPECT_THROW(t.add(ToolId::IIT, "r1", "I1.1", "2"), InputError);  // answered twice
  EXPECT_THROW(t.add_oit("O99", true), InputError);
  EXPECT_EQ(t.answers(), 1u);
}

TEST(Scoring, UnansweredQuestionsAreNamed) {
  const Edition& e = edition("2564");
  AnswerTally t(e);
  t.add(ToolId::IIT, "r1", "I1.1", "4");  // I1.2 never answered
  try {
    score(e, t);
    FAIL();
  } catch (const InputError& err) {
    EXPECT_EQ(err.field(), "I1");
  }
}

}  // namespace
}  // namespace ita
