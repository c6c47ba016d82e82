// io/result_snapshot.hpp: a result kept as a release reads back as the same doubles.
#include "io/result_snapshot.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/test_editions.hpp"
#include "support/synthetic.hpp"

namespace ita::testing {
namespace {

Result synthetic_result(const Edition& e) {
  const auto agency = make_agency(edition_path(e.id), 5, 13, 17);
  AnswerTally tally(e);
  for (const auto& row : agency.rows) {
    if (row.tool == "OIT") {
      tally.add_oit(row.item, row.answer == "pass");
    } else {
      tally.add(*parse_tool(row.tool), row.respondent, row.item, row.answer);
    }
  }
  return score(e, tally);
}

TEST(ResultSnapshot, ReadsBackAsTheSameResult) {
  const Edition& e = edition("2564");
  const Result r = synthetic_result(e);
  const Result back = io::parse_result_snapshot(e, io::result_snapshot_json(r));
  EXPECT_EQ(back.edition_id, r.edition_id);
  EXPECT_EQ(back.total, r.total);
  EXPECT_EQ(back.level.code, r.level.code);
  ASSERT_EQ(back.indicators.size(), r.indicators.size());
  for (std::size_t i = 0; i < r.indicators.size(); ++i) {
    EXPECT_EQ(back.indicators[i].id, r.indicators[i].id);
    EXPECT_EQ(back.indicators[i].tool, r.indicators[i].tool);
    EXPECT_EQ(back.indicators[i].score, r.indicators[i].score);
  }
  ASSERT_EQ(back.tools.size(), r.tools.size());
  for (std::size_t i = 0; i < r.tools.size(); ++i) EXPECT_EQ(back.tools[i].score, r.tools[i].score);
  ASSERT_EQ(back.items.size(), r.items.size());
  for (std::size_t i = 0; i < r.items.size(); ++i) {
    EXPECT_EQ(back.items[i].code, r.items[i].code);
    EXPECT_EQ(back.items[i].tool, r.items[i].tool);
    EXPECT_EQ(back.items[i].indicator, r.items[i].indicator);
    EXPECT_EQ(back.items[i].score, r.items[i].score);
    EXPECT_EQ(back.items[i].respondents, r.items[i].respondents);
  }
  EXPECT_EQ(back.respondents, r.respondents);
}

TEST(ResultSnapshot, AnotherEditionOrBrokenTextIsAnInputError) {
  const Result r = synthetic_result(edition("2564"));
  const std::string text = io::result_snapshot_json(r);
  EXPECT_THROW(io::parse_result_snapshot(edition("2565"), text), InputError);
  EXPECT_THROW(io::parse_result_snapshot(edition("2564"), "{"), InputError);
  EXPECT_THROW(io::parse_result_snapshot(edition("2564"), "{\"format\":\"ita-release/1\"}"),
               InputError);
}

}  // namespace
}  // namespace ita::testing
