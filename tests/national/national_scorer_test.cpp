// The columnar national scorer (core/national.hpp) against the per-round engine
// (AnswerTally + score()), row for row, and the national ranking.
#include <gtest/gtest.h>

#include <set>

#include "core/error.hpp"
#include "core/national.hpp"
#include "io/edition_registry.hpp"
#include "national_test_support.hpp"
#include "support/synthetic.hpp"

namespace ita::national {
namespace {

const io::EditionSet& editions() {
  static const io::EditionSet set = io::EditionSet::builtin();
  return set;
}

// The rows of a synthetic agency through both engines. nullopt where the engine refuses.
struct BothOutcomes {
  std::optional<Result> engine;
  std::string engine_error;
  RoundOutcome national;
};

BothOutcomes score_both(const Edition& e, const std::vector<testing::AnswerRow>& rows) {
  BothOutcomes out;
  AnswerTally tally(e);
  try {
    for (const auto& r : rows) {
      if (r.tool == "OIT") {
        tally.add_oit(r.item, r.answer == "pass");
      } else {
        tally.add(*parse_tool(r.tool), r.respondent, r.item, r.answer);
      }
    }
    out.engine = score(e, tally);
  } catch (const InputError& err) {
    out.engine_error = err.what();
  }

  const EditionTables tables(e);
  RoundTally round(tables);
  UnitInterner interner(tables);
  std::string last;
  std::set<std::string> seen;
  for (const auto& r : rows) {
    if (r.tool == "OIT") {
      const auto k = tables.oit_index(r.item);
      if (k == kNoIndex) {
        round.problem("unknown OIT item " + r.item);
      } else {
        round.oit(k, r.answer == "pass");
      }
      continue;
    }
    const ToolId tool = *parse_tool(r.tool);
    if (r.tool + r.respondent != last) {
      last = r.tool + r.respondent;
      if (seen.insert(last).second) round.respondent(tool);
      interner.restart();
    }
    round.answer(tool, interner.find(r.item), r.item, r.answer);
  }
  out.national = round.finish();
  return out;
}

TEST(NationalScorer, EqualsThePerRoundEngineOnEveryBuiltInEdition) {
  int compared = 0;
  for (const Edition* e : editions().all()) {
    for (std::uint32_t seed = 1; seed <= 12; ++seed) {
      const int skip = seed % 3 == 0 ? 20 : 0;  // some respondents skip some units
      const auto agency = testing::make_agency(testing::edition_path(e->id), seed, 3 + seed % 5,
                                               4 + seed % 7, skip);
      const BothOutcomes both = score_both(*e, agency.rows);
      ASSERT_EQ(both.engine.has_value(), both.national.result.has_value())
          << "edition " << e->id << " seed " << seed << ": engine says '" << both.engine_error
          << "', national says "
          << (both.national.missing.empty() ? "" : both.national.missing.front());
      if (!both.engine) continue;
      test::expect_same_result(*both.engine, *both.national.result, /*exact_sums=*/true);
      ++compared;
    }
  }
  EXPECT_GE(compared, 12) << "the 2564 edition at least must be scorable";
}

// Respondent "r1" answers every answer unit of `tool` once, cycling through the options of each
// unit's scale; `points` gets each unit's points (after the reverse flag) under its code.
void answer_every_unit(const Edition& e, ToolId tool, std::vector<testing::AnswerRow>& rows,
                       std::map<std::string, double>& points) {
  const auto& q = e.questionnaire(tool);
  std::size_t k = 0;
  for (std::size_t i = 0; i < q.items.size(); ++i) {
    for (std::size_t s = 0; s < q.items[i].sub_items.size(); ++s) {
      const AnswerUnitRef ref{i, s, tool};
      const auto& options = e.scale_of(ref).options;
      const std::string option = options[k++ % options.size()].code;
      const std::string& code = q.items[i].sub_items[s].code;
      rows.push_back({std::string(tool_code(tool)), "r1", code, option});
      points[code] = *e.points(ref, option);
    }
  }
}

TEST(NationalScorer, TheSameOitVerdictsGiveTheSameResultThroughEveryScoringPath) {
  for (const char* id : {"2563", "2564", "2565"}) {
    const Edition& e = editions().get(id);
    ASSERT_EQ(e.oit.aggregation, OitAggregation::SubIndicatorMean) << id;
    std::vector<testing::AnswerRow> rows;
    ScoreInputs given;
    answer_every_unit(e, ToolId::IIT, rows, given.items);
    answer_every_unit(e, ToolId::EIT, rows, given.items);
    // NACC's FY2564 patterns: one item failed in 9.2 and one in 9.3, two in 10.1.
    const std::set<std::string> failed = {"O10", "O18", "O34", "O35"};
    for (const auto& o : e.oit.items) {
      const bool pass = !failed.contains(o.code);
      rows.push_back({"OIT", "", o.code, pass ? "pass" : "fail"});
      given.items[o.code] = pass ? 100 : 0;
    }

    const Result from_items = score(e, given);      // item scores (ScoreInputs.items)
    const BothOutcomes both = score_both(e, rows);  // AnswerTally + add_oit, and RoundTally
    ASSERT_TRUE(both.engine.has_value()) << id << ": " << both.engine_error;
    ASSERT_TRUE(both.national.result.has_value()) << id << ": " << both.national.missing.front();
    test::expect_same_result(*both.engine, *both.national.result, /*exact_sums=*/true);

    const Result& tally = *both.engine;
    ASSERT_EQ(tally.indicators.size(), from_items.indicators.size()) << id;
    for (std::size_t i = 0; i < tally.indicators.size(); ++i) {
      EXPECT_EQ(tally.indicators[i].id, from_items.indicators[i].id) << id;
      EXPECT_NEAR(tally.indicators[i].score, from_items.indicators[i].score, 1e-9)
          << id << " indicator " << tally.indicators[i].id;
      EXPECT_EQ(format2(round2(tally.indicators[i].score)),
                format2(round2(from_items.indicators[i].score)));
    }
    EXPECT_NEAR(tally.total, from_items.total, 1e-9) << id;
    EXPECT_EQ(format2(round2(tally.total)), format2(round2(from_items.total))) << id;
    EXPECT_EQ(tally.level.code, from_items.level.code) << id;
    EXPECT_EQ(format2(round2(from_items.indicator(9)->score)), "94.64") << id;
    EXPECT_EQ(format2(round2(from_items.indicator(10)->score)), "87.50") << id;
  }
}

TEST(NationalScorer, RefusesWhatTheEngineRefuses) {
  const Edition& e = editions().get("2564");
  auto base = testing::make_agency(testing::edition_path("2564"), 5, 4, 6).rows;

  auto without = [&](auto drop) {
    std::vector<testing::AnswerRow> rows;
    for (const auto& r : base) {
      if (!drop(r)) rows.push_back(r);
    }
    return rows;
  };
  const std::vector<std::pair<std::string, std::vector<testing::AnswerRow>>> cases = {
      {"no EIT respondents", without([](const testing::AnswerRow& r) { return r.tool == "EIT"; })},
      {"an OIT item not judged",
       without([](const testing::AnswerRow& r) { return r.tool == "OIT" && r.item == "O7"; })},
      {"a sub-item nobody answered",
       without([](const testing::AnswerRow& r) { return r.item == "I1.2"; })},
      {"a question nobody answered",
       without([](const testing::AnswerRow& r) { return r.item == "E3"; })},
  };
  for (const auto& [name, rows] : cases) {
    const BothOutcomes both = score_both(e, rows);
    EXPECT_FALSE(both.engine.has_value()) << name;
    EXPECT_FALSE(both.national.result.has_value()) << name;
    EXPECT_FALSE(both.national.missing.empty()) << name;
  }

  auto bad_unit = base;
  bad_unit[3].item = "I99.9";
  const auto unknown = score_both(e, bad_unit);
  ASSERT_FALSE(unknown.national.result.has_value());
  EXPECT_NE(unknown.national.missing.front().find("I99.9"), std::string::npos);

  auto bad_option = base;
  bad_option[0].answer = "7";
  const auto option = score_both(e, bad_option);
  ASSERT_FALSE(option.national.result.has_value());
  EXPECT_NE(option.national.missing.front().find("'7'"), std::string::npos);

  auto wrong_tool = base;
  wrong_tool[0].item = "E2";  // an EIT unit in an IIT response
  const auto tool = score_both(e, wrong_tool);
  ASSERT_FALSE(tool.national.result.has_value());
  EXPECT_NE(tool.national.missing.front().find("belongs to EIT"), std::string::npos);
}

TEST(NationalScorer, MergedTalliesEqualOneTally) {
  const Edition& e = editions().get("2564");
  const EditionTables tables(e);
  const auto rows = testing::make_agency(testing::edition_path("2564"), 9, 8, 11).rows;
  RoundTally one(tables), first(tables), second(tables);
  std::string last;
  std::size_t n = 0;
  for (const auto& r : rows) {
    if (r.tool == "OIT") {
      one.oit(tables.oit_index(r.item), r.answer == "pass");
      (n % 2 ? first : second).oit(tables.oit_index(r.item), r.answer == "pass");
      continue;
    }
    const ToolId tool = *parse_tool(r.tool);
    if (r.tool + r.respondent != last) {
      last = r.tool + r.respondent;
      ++n;
      one.respondent(tool);
      (n % 2 ? first : second).respondent(tool);
    }
    const auto u = tables.unit_index(r.item);
    one.answer(u, tables.points(u, r.answer));
    (n % 2 ? first : second).answer(u, tables.points(u, r.answer));
  }
  first.merge(second);
  const auto a = one.finish(), b = first.finish();
  ASSERT_TRUE(a.result && b.result);
  test::expect_same_result(*a.result, *b.result, /*exact_sums=*/false);
}

TEST(NationalScorer, TablesNumberUnitsAndPointsLikeTheEdition) {
  const Edition& e = editions().get("2564");
  const EditionTables t(e);
  std::size_t units = 0;
  for (ToolId tool : {ToolId::IIT, ToolId::EIT}) {
    for (const auto& item : e.questionnaire(tool).items) units += item.sub_items.size();
  }
  EXPECT_EQ(t.units(), units);
  EXPECT_EQ(t.units_of(ToolId::IIT) + t.units_of(ToolId::EIT), units);
  EXPECT_EQ(t.oit_items(), e.oit.items.size());
  EXPECT_EQ(t.unit_index("I99"), kNoIndex);
  EXPECT_EQ(t.oit_index("O99"), kNoIndex);
  for (std::uint32_t u = 0; u < t.units(); ++u) {
    const auto ref = *e.find_answer_unit(t.unit_code(u));
    EXPECT_EQ(t.unit_index(t.unit_code(u)), u);
    EXPECT_EQ(t.unit_tool(u), ref.tool);
    for (const auto& o : e.scale_of(ref).options)
      EXPECT_DOUBLE_EQ(t.points(u, o.code), *e.points(ref, o.code)) << t.unit_code(u);
    EXPECT_TRUE(std::isnan(t.points(u, "9")));
    EXPECT_TRUE(std::isnan(t.points(u, "44")));
  }
}

TEST(NationalScorer, InternerFollowsTheUsualOrderAndFindsAnyOther) {
  const Edition& e = editions().get("2564");
  const EditionTables t(e);
  UnitInterner in(t);
  for (int respondent = 0; respondent < 3; ++respondent) {
    in.restart();
    for (std::uint32_t u = 0; u < t.units(); ++u) ASSERT_EQ(in.find(t.unit_code(u)), u);
  }
  in.restart();
  for (std::uint32_t u = t.units(); u-- > 0;) ASSERT_EQ(in.find(t.unit_code(u)), u);  // reversed
  EXPECT_EQ(in.find("nonsense"), kNoIndex);
  EXPECT_EQ(in.find(t.unit_code(4)), 4u);
}

TEST(NationalRanks, ByRoundedTotalThenAgencyIdWithinEditionProvinceAndType) {
  const std::vector<Standing> s = {
      {7, "2564", "เชียงราย", "อบต.", Rounded{9000}},
      {3, "2564", "เชียงราย", "เทศบาลตำบล", Rounded{9000}},  // tie with 7: lower id first
      {5, "2564", "น่าน", "อบต.", Rounded{9500}},
      {1, "2564", "น่าน", "อบต.", Rounded{4000}},
      {2, "2566", "น่าน", "อบต.", Rounded{5000}},  // another edition: ranked on its own
  };
  const auto r = rank_standings(s);
  ASSERT_EQ(r.size(), s.size());
  EXPECT_EQ(r[2].national, 1u);
  EXPECT_EQ(r[1].national, 2u);
  EXPECT_EQ(r[0].national, 3u);
  EXPECT_EQ(r[3].national, 4u);
  EXPECT_EQ(r[4].national, 1u);
  EXPECT_EQ(r[1].province, 1u);  // เชียงราย
  EXPECT_EQ(r[0].province, 2u);
  EXPECT_EQ(r[2].province, 1u);  // น่าน
  EXPECT_EQ(r[3].province, 2u);
  EXPECT_EQ(r[4].province, 1u);
  EXPECT_EQ(r[2].type, 1u);  // อบต. of 2564: 5, 7, 1
  EXPECT_EQ(r[0].type, 2u);
  EXPECT_EQ(r[3].type, 3u);
  EXPECT_EQ(r[1].type, 1u);  // the only เทศบาลตำบล
  EXPECT_TRUE(rank_standings({}).empty());
}

}  // namespace
}  // namespace ita::national
