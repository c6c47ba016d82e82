// core/release.hpp: when an open round may release new figures, and a release shown with the
// round's current OIT verdicts.
#include "core/release.hpp"

#include <gtest/gtest.h>

#include <random>

#include "core/test_editions.hpp"

namespace ita::testing {
namespace {

using Counts = std::map<ToolId, std::size_t>;

// `iit` and `eit` respondents answering every unit of `e` at random (seed `seed`).
AnswerTally answers(const Edition& e, int iit, int eit, std::uint32_t seed) {
  AnswerTally tally(e);
  std::mt19937 rng(seed);
  int who = 0;
  for (const ToolId tool : {ToolId::IIT, ToolId::EIT}) {
    for (int k = 0; k < (tool == ToolId::IIT ? iit : eit); ++k) {
      const std::string id = "r" + std::to_string(++who);
      for (const auto& item : e.questionnaire(tool).items) {
        for (const auto& sub : item.sub_items) {
          const auto& options = e.scales.at(sub.scale).options;
          tally.add(tool, id, sub.code, options[rng() % options.size()].code);
        }
      }
    }
  }
  return tally;
}

std::map<std::string, bool> verdicts(const Edition& e, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::map<std::string, bool> out;
  for (const auto& item : e.oit.items) out[item.code] = rng() % 3 != 0;
  return out;
}

// The round scored with verdicts `v`: from random answers when `from_answers`, else (an edition
// whose questionnaires are partial) from given IIT and EIT indicator scores.
Result scored(const Edition& e, const std::map<std::string, bool>& v, bool from_answers) {
  AnswerTally tally = from_answers ? answers(e, 7, 9, 3) : AnswerTally(e);
  ScoreInputs given;
  if (!from_answers) {
    for (const auto& ind : e.indicators) {
      if (ind.tool != ToolId::OIT) given.indicators[ind.id] = 60.0 + ind.id * 3.1;
    }
  }
  for (const auto& [item, pass] : v) tally.add_oit(item, pass);
  return score(e, tally, given);
}

TEST(ReleaseRule, TheFirstReleaseWaitsForTheMinimumOfEachTool) {
  EXPECT_FALSE(release_due({{ToolId::IIT, 4}, {ToolId::EIT, 40}}, std::nullopt, 5));
  EXPECT_FALSE(release_due({{ToolId::IIT, 40}}, std::nullopt, 5)) << "no EIT respondent";
  EXPECT_TRUE(release_due({{ToolId::IIT, 5}, {ToolId::EIT, 5}}, std::nullopt, 5));
  EXPECT_FALSE(release_due({{ToolId::IIT, 0}, {ToolId::EIT, 3}}, std::nullopt, 0))
      << "a tool nobody answered has no figures to release";
}

TEST(ReleaseRule, ANewReleaseNeedsTheMinimumMoreOfEachTool) {
  const Counts last = {{ToolId::IIT, 14}, {ToolId::EIT, 22}};
  EXPECT_FALSE(release_due({{ToolId::IIT, 15}, {ToolId::EIT, 22}}, last, 5))
      << "one more respondent: the difference would be that person's answers";
  EXPECT_FALSE(release_due({{ToolId::IIT, 30}, {ToolId::EIT, 26}}, last, 5))
      << "EIT has only 4 more";
  EXPECT_TRUE(release_due({{ToolId::IIT, 19}, {ToolId::EIT, 27}}, last, 5));
  EXPECT_TRUE(release_due({{ToolId::IIT, 14}, {ToolId::EIT, 22}}, last, 0))
      << "a minimum of 0 releases every view";
}

// A release shown with other verdicts equals the round scored with those verdicts, on an edition
// whose OIT is averaged by sub-indicator (2564, from answers) and one whose OIT is the mean of its
// items (2568, whose questionnaires are partial: from given indicator scores).
TEST(ReleaseRule, AReleaseWithTheCurrentVerdictsEqualsScoringWithThem) {
  for (const auto& [id, from_answers] : {std::pair{"2564", true}, std::pair{"2568", false}}) {
    const Edition& e = edition(id);
    const auto before = verdicts(e, 1), now = verdicts(e, 2);
    ASSERT_NE(before, now);
    const Result release = scored(e, before, from_answers);
    const Result want = scored(e, now, from_answers);
    const Result got = with_oit_verdicts(e, release, now);
    EXPECT_EQ(got.total, want.total) << id;
    EXPECT_EQ(got.level.code, want.level.code) << id;
    ASSERT_EQ(got.indicators.size(), want.indicators.size());
    for (std::size_t i = 0; i < want.indicators.size(); ++i)
      EXPECT_EQ(got.indicators[i].score, want.indicators[i].score) << id << " " << i;
    ASSERT_EQ(got.items.size(), want.items.size());
    for (std::size_t i = 0; i < want.items.size(); ++i) {
      EXPECT_EQ(got.items[i].code, want.items[i].code);
      EXPECT_EQ(got.items[i].score, want.items[i].score) << got.items[i].code;
    }
    EXPECT_EQ(got.respondents, release.respondents);
    EXPECT_NE(got.tool_score(ToolId::OIT), release.tool_score(ToolId::OIT)) << id;
    EXPECT_EQ(got.tool_score(ToolId::IIT), release.tool_score(ToolId::IIT)) << id;
  }
}

TEST(ReleaseRule, AReleaseTakesTheOitOfTheRoundScoredNow) {
  const Edition& e = edition("2564");
  AnswerTally few = answers(e, 6, 6, 8), many = answers(e, 30, 40, 9);
  for (const auto& [item, pass] : verdicts(e, 1)) few.add_oit(item, pass);
  for (const auto& [item, pass] : verdicts(e, 2)) many.add_oit(item, pass);
  const Result release = score(e, few);
  const Result now = score(e, many);
  Result without_items = now;
  without_items.items.clear();  // the national pass keeps no item scores
  const Result got = with_oit_of(e, release, without_items);
  EXPECT_EQ(got.tool_score(ToolId::OIT), now.tool_score(ToolId::OIT));
  EXPECT_EQ(got.tool_score(ToolId::IIT), release.tool_score(ToolId::IIT));
  EXPECT_EQ(got.tool_score(ToolId::EIT), release.tool_score(ToolId::EIT));
  EXPECT_EQ(got.items.size(), release.items.size());
  EXPECT_EQ(got.respondents, release.respondents);
  EXPECT_EQ(got.total, with_oit_verdicts(e, release, verdicts(e, 2)).total);
}

}  // namespace
}  // namespace ita::testing
