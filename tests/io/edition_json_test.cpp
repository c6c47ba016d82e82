#include "io/edition_json.hpp"

#include <gtest/gtest.h>

#include "io/edition_registry.hpp"
#include "core/error.hpp"
#include "io/json_error.hpp"
#include "support/synthetic.hpp"

namespace ita::io {
namespace {

using nlohmann::json;

json edition_2564() { return json::parse(read_file(testing::edition_path("2564"))); }

// The error message of parsing `j`, or "" when it parses.
std::string error_of(const json& j) {
  try {
    parse_edition(j.dump(), "my-edition.json");
  } catch (const FileError& e) {
    return e.what();
  }
  return "";
}

TEST(EditionFiles, BuiltinEditionsLoadAndAreComplete) {
  const EditionSet set = EditionSet::builtin();
  for (const char* id : {"2564", "2566", "2567", "2568"}) {
    const Edition* e = set.find(id);
    ASSERT_NE(e, nullptr) << id;
    EXPECT_EQ(e->indicators.size(), 10u);
    EXPECT_TRUE(check_edition(*e).empty());
    double weights = 0;
    for (const auto& t : e->tools) weights += t.weight;
    EXPECT_NEAR(weights, 1.0, 1e-12);
  }
  const Edition& e = set.get("2564");
  EXPECT_EQ(e.iit.items.size(), 30u);
  EXPECT_EQ(e.eit.items.size(), 15u);
  EXPECT_EQ(e.oit.items.size(), 43u);
  EXPECT_EQ(e.oit.sub_indicators.size(), 7u);
  EXPECT_EQ(e.grading.rules.front().code, "AA");
  EXPECT_EQ(e.grading.rules.back().code, "F");
  EXPECT_EQ(e.iit.provenance.status, ProvenanceStatus::Official);
  EXPECT_EQ(e.eit.provenance.status, ProvenanceStatus::Reconstructed);
  EXPECT_EQ(set.get("2566").provenance.status, ProvenanceStatus::Partial);
  EXPECT_EQ(set.get("2566").grading.rules.size(), 5u);
  EXPECT_EQ(*set.get("2566").grading.rules[0].min_every_tool, 95);
}

TEST(EditionFiles, EmbeddedCopiesMatchTheFiles) {
  ASSERT_EQ(embedded_edition_files().size(), 4U);
  for (const auto& [name, text] : embedded_edition_files()) {
    EXPECT_EQ(text, read_file(testing::source_path("editions/" + name))) << name;
  }
}

TEST(EditionFiles, UnknownEditionListsTheKnownOnes) {
  try {
    EditionSet::builtin().get("2599");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("2566"), std::string::npos);
  }
}

TEST(EditionFiles, MalformedEditionsGetPreciseMessages) {
  json j = edition_2564();
  EXPECT_EQ(error_of(j), "");

  j = edition_2564();
  j["iit"]["items"][3]["scale"] = "likert5";
  EXPECT_NE(error_of(j).find("/iit/items/3/scale: unknown scale \"likert5\""), std::string::npos) << error_of(j);

  j = edition_2564();
  j["tools"]["list"][0]["weight"] = 0.5;
  EXPECT_NE(error_of(j).find("weights must sum to 1"), std::string::npos) << error_of(j);

  j = edition_2564();
  j["iit"]["items"][0]["indicator"] = 7;
  EXPECT_NE(error_of(j).find("iit.items[0].indicator: indicator 7 belongs to EIT, not IIT"), std::string::npos) << error_of(j);

  j = edition_2564();
  j["eit"]["items"][1]["code"] = "I1";
  EXPECT_NE(error_of(j).find("code 'I1' is used twice"), std::string::npos) << error_of(j);

  j = edition_2564();
  j["grading"]["rules"].erase(j["grading"]["rules"].size() - 1);
  EXPECT_NE(error_of(j).find("the last rule must have min_total 0"), std::string::npos) << error_of(j);

  j = edition_2564();
  j["oit"]["items"][5]["sub_indicator"] = "9.9";
  EXPECT_NE(error_of(j).find("/oit/items/5/sub_indicator: unknown sub-indicator \"9.9\""), std::string::npos) << error_of(j);

  j = edition_2564();
  j["scales"]["likert4"]["options"][1]["points"] = "100/0";
  EXPECT_NE(error_of(j).find("/scales/likert4/options/1/points"), std::string::npos) << error_of(j);

  j = edition_2564();
  j["iit"].erase("provenance");
  EXPECT_NE(error_of(j).find("/iit/provenance: missing required field"), std::string::npos) << error_of(j);

  j = edition_2564();
  j["grading"]["provenance"]["status"] = "rumour";
  EXPECT_NE(error_of(j).find("expected official, reconstructed or partial"), std::string::npos) << error_of(j);

  j = edition_2564();
  j["format"] = "ita-edition/9";
  EXPECT_NE(error_of(j).find("/format"), std::string::npos);
}

TEST(EditionFiles, SyntaxErrorsGiveLineAndColumn) {
  try {
    parse_edition("{\n  \"format\": \"ita-edition/1\",\n  \"id\": 2564,,\n}", "bad.json");
    FAIL();
  } catch (const FileError& e) {
    EXPECT_EQ(e.file(), "bad.json");
    EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
  }
}

TEST(EditionFiles, FractionPointsAreExact) {
  const Edition& e = EditionSet::builtin().get("2564");
  const Scale& s = e.scales.at("likert4");
  EXPECT_DOUBLE_EQ(s.find("2")->points, 100.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.find("3")->points, 200.0 / 3.0);
}

}  // namespace
}  // namespace ita::io
