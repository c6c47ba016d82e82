#include "core/survey.hpp"

#include <gtest/gtest.h>

#include <set>

#include "core/test_editions.hpp"

namespace ita {
namespace {

using testing::edition;

std::map<std::string, std::string> complete(const Edition& e, ToolId tool) {
  std::map<std::string, std::string> a;
  for (const auto& item : e.questionnaire(tool).items) {
    for (const auto& sub : item.sub_items)
      a[sub.code] = e.scales.at(sub.scale).options.front().code;
  }
  return a;
}

TEST(Survey, CompleteAnswersPass) {
  EXPECT_TRUE(
      check_answers(edition("2564"), ToolId::IIT, complete(edition("2564"), ToolId::IIT)).empty());
  EXPECT_TRUE(
      check_answers(edition("2564"), ToolId::EIT, complete(edition("2564"), ToolId::EIT)).empty());
  EXPECT_EQ(complete(edition("2564"), ToolId::IIT).size(), 51u);
}

TEST(Survey, EveryProblemIsNamed) {
  const Edition& e = edition("2564");
  auto a = complete(e, ToolId::IIT);
  a.erase("I30.4");
  a["I4.1"] = "3";  // yes/no item
  a["E1.1"] = "4";  // an EIT code in an IIT answer
  a["I2-1"] = "4";  // another edition's code
  const auto p = check_answers(e, ToolId::IIT, a);
  ASSERT_EQ(p.size(), 4u);
  std::set<std::string> units;
  for (const auto& x : p) units.insert(x.unit);
  EXPECT_EQ(units, (std::set<std::string>{"I30.4", "I4.1", "E1.1", "I2-1"}));
  EXPECT_FALSE(check_answers(e, ToolId::OIT, {}).empty());
}

TEST(Sampling, Targets) {
  const auto& s = *edition("2566").sampling;
  EXPECT_EQ(sample_target(s.iit, 10), 10);  // everyone when fewer than 25
  EXPECT_EQ(sample_target(s.iit, 300), 25);
  EXPECT_EQ(sample_target(s.eit, 100), 30);
  EXPECT_EQ(sample_target(s.eit, 1234), 124);
  EXPECT_EQ(sample_target(s.eit, 100000), 400);
  EXPECT_EQ(sample_target(s.eit, 0), 0);
}

}  // namespace
}  // namespace ita
