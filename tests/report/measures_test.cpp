// The measures plan: default plan from the library, plan checks, ita-measures/1 JSON.
#include "core/measures.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/analysis.hpp"
#include "io/json_error.hpp"
#include "io/result_input.hpp"
#include "report/measures_json.hpp"
#include "support.hpp"

namespace ita::report {
namespace {

namespace chr = std::chrono;

struct Seed {
  io::EditionSet editions = io::EditionSet::builtin();
  io::ScoredInput scored;
  Analysis analysis;

  explicit Seed(const std::string& fixture = "tests/fixtures/seed-2566-indicators.json")
      : scored(io::score_file(test::source(fixture), editions)),
        analysis(analyze(*scored.edition, scored.result)) {}
  const Edition& edition() const { return *scored.edition; }
};

std::vector<int> method_indicators(const MeasuresPlan& p) {
  std::vector<int> ids;
  for (const auto& m : p.methods) ids.push_back(m.indicator);
  return ids;
}

std::vector<std::string> measure_ids(const MeasuresPlan& p) {
  std::vector<std::string> ids;
  for (const auto& m : p.measures) ids.push_back(m.id);
  return ids;
}

TEST(DefaultPlan, TargetsTheSeedsWeakIndicators) {
  const Seed seed;
  EXPECT_EQ(indicators_to_improve(seed.analysis), (std::vector<int>{2, 4, 7, 8}));
  const MeasuresPlan plan =
      build_default_plan(seed.edition(), seed.analysis, builtin_measures_library());
  EXPECT_EQ(plan.fiscal_year.be, 2567);
  EXPECT_EQ(method_indicators(plan), (std::vector<int>{2, 4, 7, 8}));
  // The library's `always` measures, then those for indicators 2, 4, 7, 8, in library order.
  EXPECT_EQ(measure_ids(plan),
            (std::vector<std::string>{"conflict-of-interest", "ita-awareness",
                                      "anti-corruption-knowledge", "state-property",
                                      "budget-transparency", "procurement-plan", "work-improvement",
                                      "public-participation", "open-data"}));
}

TEST(DefaultPlan, DueDatesFallInThePlansFiscalYear) {
  const Seed seed;
  const MeasuresPlan plan =
      build_default_plan(seed.edition(), seed.analysis, builtin_measures_library());
  ASSERT_FALSE(plan.measures.empty());
  EXPECT_EQ(plan.measures[0].due,
            chr::year_month_day{chr::year{2024} / chr::March / 31});  // first_half
  EXPECT_EQ(plan.measures[2].due, std::nullopt);                      // all_year
  EXPECT_TRUE(check_plan(seed.edition(), plan).empty());
}

TEST(DefaultPlan, ItemsUnderTheThresholdAddTheirIndicator) {
  const Seed seed("tests/report/fixtures/seed-2566-items.json");
  // Indicator 5 is a strength (86.04) but its question I5-1 scored 84.20.
  EXPECT_EQ(indicators_to_improve(seed.analysis), (std::vector<int>{2, 4, 5, 7, 8}));
}

TEST(DefaultPlan, ItemSpecificMethodsOnlyForListedItems) {
  const Seed seed("tests/report/fixtures/seed-2566-items.json");
  MeasuresLibrary lib;
  lib.methods = {{2, std::nullopt, "general"},
                 {2, "I2-2", "for I2-2"},
                 {2, "I2-3", "for I2-3"},
                 {6, std::nullopt, "strong indicator"}};
  lib.measures = {{"a", "always", {}, "", "", {}, true, DueRule::YearEnd},
                  {"b", "for six", {}, "", "", {6}, false, DueRule::AllYear}};
  const MeasuresPlan plan = build_default_plan(seed.edition(), seed.analysis, lib);
  // I2-3 scored 84.99 (< 85, listed); I2-2 76.50 (listed); indicator 6 is a strength.
  ASSERT_EQ(plan.methods.size(), 3u);
  EXPECT_EQ(plan.methods[1].text_th, "for I2-2");
  EXPECT_EQ(plan.methods[2].text_th, "for I2-3");
  EXPECT_EQ(measure_ids(plan), (std::vector<std::string>{"a"}));
  EXPECT_EQ(plan.measures[0].due, chr::year_month_day{chr::year{2024} / chr::September / 30});
}

TEST(CheckPlan, ReportsEachProblemWithItsPath) {
  const Seed seed;
  MeasuresPlan plan;
  plan.fiscal_year = FiscalYear{2567};
  plan.methods = {{11, std::nullopt, "x"}, {2, std::nullopt, ""}};
  Measure m;
  m.id = "m1";
  m.title_th = "t";
  m.indicators = {3, 12};
  m.due = chr::year{2024} / chr::October / 1;  // FY2568
  plan.measures = {m, m};
  const auto problems = check_plan(seed.edition(), plan);
  std::vector<std::string> paths;
  for (const auto& p : problems) paths.push_back(p.path);
  EXPECT_EQ(paths, (std::vector<std::string>{
                       "/improvement_methods/0/indicator", "/improvement_methods/1/text_th",
                       "/measures/0/indicators/1", "/measures/0/due", "/measures/1/indicators/1",
                       "/measures/1/due", "/measures/1/id"}));
  EXPECT_NE(problems[3].message.find("2023-10-01 to 2024-09-30"), std::string::npos)
      << problems[3].message;
}

TEST(MeasuresJson, RoundTripsThePlan) {
  const Seed seed("tests/report/fixtures/seed-2566-items.json");
  MeasuresPlan plan = build_default_plan(seed.edition(), seed.analysis, builtin_measures_library());
  plan.methods.push_back({7, "E7-4", "เฉพาะประเด็น"});
  plan.measures[1].status = MeasureStatus::InProgress;
  const MeasuresPlan back = parse_measures(measures_json(plan).dump(2), "plan.json");
  EXPECT_EQ(back, plan);
}

void expect_file_error(const std::string& json, const std::string& where,
                       const std::string& fragment) {
  try {
    parse_measures(json, "plan.json");
    ADD_FAILURE() << "no error for " << json;
  } catch (const io::FileError& e) {
    EXPECT_EQ(e.file(), "plan.json");
    EXPECT_EQ(e.where(), where) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(MeasuresJson, RejectsUnknownFieldsNamingThePath) {
  expect_file_error(
      R"({"format":"ita-measures/1","fiscal_year":2567,"measures":[{"id":"a","titel":"x"}]})",
      "/measures/0/titel", "unknown field \"titel\"; expected one of: id, title_th");
  expect_file_error(R"({"format":"ita-measures/1","fiscal_year":2567,"measures":[],"extra":1})",
                    "/extra", "unknown field");
  expect_file_error(
      R"({"format":"ita-measures/1","fiscal_year":2567,"measures":[],"improvement_methods":[{"indicator":1,"txt":"a"}]})",
      "/improvement_methods/0/txt", "unknown field");
}

TEST(MeasuresJson, RejectsBadValuesNamingThePath) {
  expect_file_error(R"({"format":"ita-measures/2","fiscal_year":2567,"measures":[]})", "/format",
                    "ita-measures/1");
  expect_file_error(R"({"format":"ita-measures/1","fiscal_year":2024,"measures":[]})",
                    "/fiscal_year", "Buddhist Era");
  expect_file_error(
      R"({"format":"ita-measures/1","fiscal_year":2567,"measures":[{"id":"a","title_th":"t","due":"31/03/2024"}]})",
      "/measures/0/due", "YYYY-MM-DD");
  expect_file_error(
      R"({"format":"ita-measures/1","fiscal_year":2567,"measures":[{"id":"a","title_th":"t","status":"late"}]})",
      "/measures/0/status", "planned, in_progress, done or cancelled");
  expect_file_error(
      R"({"format":"ita-measures/1","fiscal_year":2567,"measures":[{"id":"a","title_th":"t","steps_th":[1]}]})",
      "/measures/0/steps_th/0", "expected a string");
  expect_file_error(R"({"format":"ita-measures/1","fiscal_year":2567})", "/measures",
                    "missing required field");
  expect_file_error(R"({"format":"ita-measures/1", "fiscal_year":)", "line 1, column 43",
                    "invalid JSON");
}

TEST(MeasuresLibrary, BuiltinCoversEveryIndicatorWithValidMeasures) {
  const MeasuresLibrary& lib = builtin_measures_library();
  for (int id = 1; id <= 10; ++id) {
    EXPECT_TRUE(std::any_of(lib.methods.begin(), lib.methods.end(),
                            [&](const auto& m) { return m.indicator == id; }))
        << "no improvement method for indicator " << id;
    EXPECT_TRUE(std::any_of(lib.measures.begin(), lib.measures.end(),
                            [&](const auto& m) {
                              return std::count(m.indicators.begin(), m.indicators.end(), id) > 0;
                            }))
        << "no measure for indicator " << id;
  }
  EXPECT_GE(std::count_if(lib.measures.begin(), lib.measures.end(),
                          [](const auto& m) { return m.always; }),
            1);
  for (const auto& m : lib.measures) {
    EXPECT_FALSE(m.steps_th.empty()) << m.id;
    EXPECT_FALSE(m.responsible_th.empty()) << m.id;
  }
}

TEST(MeasuresLibrary, RejectsUnknownFields) {
  try {
    parse_measures_library(
        R"({"format":"ita-measures-library/1","measures":[{"id":"a","title_th":"t","alwys":true}]})",
        "lib.json");
    ADD_FAILURE() << "no error";
  } catch (const io::FileError& e) {
    EXPECT_EQ(e.where(), "/measures/0/alwys");
  }
}

}  // namespace
}  // namespace ita::report
