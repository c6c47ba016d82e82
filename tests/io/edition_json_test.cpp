#include "io/edition_json.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "io/edition_registry.hpp"
#include "io/json_error.hpp"
#include "support/synthetic.hpp"

namespace ita::io {
namespace {

using nlohmann::json;

json edition_2564() {
  return json::parse(read_file(testing::edition_path("2564")));
}

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
  ASSERT_EQ(set.all().size(), 8u);
  for (const char* id : {"2563", "2564", "2565", "2566", "2567", "2568", "2569", "2570"}) {
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

TEST(EditionFiles, Editions2563And2565Have2564sStructureAndLetterGrades) {
  const EditionSet set = EditionSet::builtin();
  const Edition& e64 = set.get("2564");
  for (const char* id : {"2563", "2565"}) {
    const Edition& e = set.get(id);
    EXPECT_EQ(e.id, id);
    EXPECT_EQ(std::to_string(e.fiscal_year), id);
    EXPECT_NE(e.title_th.find(id), std::string::npos) << e.title_th;
    EXPECT_EQ(e.iit.items.size(), 30u);
    EXPECT_EQ(e.eit.items.size(), 15u);
    EXPECT_EQ(e.oit.items.size(), 43u);
    EXPECT_EQ(e.iit.items.front().code, "I1");
    EXPECT_EQ(e.iit.items.back().code, "I30");
    EXPECT_EQ(e.eit.items.back().code, "E15");
    EXPECT_EQ(e.oit.items.back().code, "O43");
    ASSERT_EQ(e.oit.sub_indicators.size(), e64.oit.sub_indicators.size());
    for (std::size_t i = 0; i < e.oit.items.size(); ++i) {
      EXPECT_EQ(e.oit.items[i].sub_indicator, e64.oit.items[i].sub_indicator) << id;
    }
    EXPECT_EQ(e.oit.aggregation, OitAggregation::SubIndicatorMean);
    for (const auto& t : e.tools) {
      EXPECT_DOUBLE_EQ(t.weight, t.id == ToolId::OIT ? 0.4 : 0.3) << id;
    }
    // Letter grading AA >= 95, A >= 85, B >= 75, C >= 65, D >= 55, E >= 50, F below.
    EXPECT_EQ(e.grading.system, GradingSystem::Letter);
    std::vector<std::pair<std::string, double>> rules;
    for (const auto& r : e.grading.rules) {
      EXPECT_FALSE(r.min_every_tool.has_value());
      rules.emplace_back(r.code, r.min_total);
    }
    EXPECT_EQ(rules,
              (std::vector<std::pair<std::string, double>>{
                  {"AA", 95}, {"A", 85}, {"B", 75}, {"C", 65}, {"D", 55}, {"E", 50}, {"F", 0}}));
    // Honest provenance: nothing of 2563/2565 is official but (for 2565) the published scale.
    EXPECT_EQ(e.provenance.status, ProvenanceStatus::Reconstructed);
    EXPECT_EQ(e.iit.provenance.status, ProvenanceStatus::Reconstructed);
    EXPECT_EQ(e.oit.provenance.status, ProvenanceStatus::Reconstructed);
    EXPECT_NE(e.iit.provenance.notes.find("2564"), std::string::npos);
    EXPECT_FALSE(e.oit.provenance.sources.empty());
  }
}

TEST(EditionFiles, OitAggregationFollowsTheSubIndicatorSplit) {
  const EditionSet set = EditionSet::builtin();
  for (const Edition* e : set.all()) {
    const bool has_subs = !e->oit.sub_indicators.empty();
    EXPECT_EQ(e->oit.aggregation,
              has_subs ? OitAggregation::SubIndicatorMean : OitAggregation::ItemMean)
        << e->id;
    EXPECT_NE(e->oit.provenance.notes.find(has_subs ? "sub_indicator_mean" : "item_mean"),
              std::string::npos)
        << e->id;
  }
  for (const char* id : {"2563", "2564", "2565", "2566", "2567"}) {
    EXPECT_EQ(set.get(id).oit.aggregation, OitAggregation::SubIndicatorMean) << id;
    EXPECT_NE(set.get(id).oit.provenance.notes.find("97.50"), std::string::npos) << id;
  }
  EXPECT_EQ(set.get("2568").oit.aggregation, OitAggregation::ItemMean);
}

TEST(EditionFiles, Editions2569And2570ArePartialCopiesOf2568WithFiveLevels) {
  const EditionSet set = EditionSet::builtin();
  const Edition& e68 = set.get("2568");
  for (const char* id : {"2569", "2570"}) {
    const Edition& e = set.get(id);
    EXPECT_EQ(std::to_string(e.fiscal_year), id);
    EXPECT_EQ(e.title_th, std::string("การประเมิน ITA ประจำปีงบประมาณ พ.ศ. ") + id);
    EXPECT_EQ(e.provenance.status, ProvenanceStatus::Partial);
    EXPECT_NE(e.provenance.notes.find("official"), std::string::npos) << e.provenance.notes;
    EXPECT_EQ(e.grading.system, GradingSystem::FiveLevel);
    ASSERT_EQ(e.grading.rules.size(), e68.grading.rules.size());
    EXPECT_EQ(*e.grading.rules[0].min_every_tool, 95);
    EXPECT_EQ(e.oit.items.size(), e68.oit.items.size());
  }
  EXPECT_NE(set.get("2570").provenance.notes.find("1 Oct 2569"), std::string::npos);
}

TEST(EditionFiles, FiveLevelEditionsDocumentTheEitPartsAssumption) {
  for (const char* id : {"2566", "2567", "2568", "2569", "2570"}) {
    const std::string& notes = EditionSet::builtin().get(id).grading.provenance.notes;
    EXPECT_NE(notes.find("EIT ส่วนที่ ๑ / ส่วนที่ ๒"), std::string::npos) << id;
    EXPECT_NE(notes.find("one EIT score"), std::string::npos) << id;
  }
}

TEST(EditionFiles, ProvenanceStatusesHaveThaiLabels) {
  EXPECT_EQ(provenance_label_th(ProvenanceStatus::Official), "ทางการ");
  EXPECT_EQ(provenance_label_th(ProvenanceStatus::Reconstructed), "สร้างจากแหล่งรอง");
  EXPECT_EQ(provenance_label_th(ProvenanceStatus::Partial), "ไม่ครบถ้วน");
  EXPECT_EQ(provenance_code(ProvenanceStatus::Reconstructed), "reconstructed");
}

TEST(EditionFiles, EmbeddedCopiesMatchTheFiles) {
  ASSERT_EQ(embedded_edition_files().size(), 8U);
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
  EXPECT_NE(error_of(j).find("/iit/items/3/scale: unknown scale \"likert5\""), std::string::npos)
      << error_of(j);

  j = edition_2564();
  j["tools"]["list"][0]["weight"] = 0.5;
  EXPECT_NE(error_of(j).find("weights must sum to 1"), std::string::npos) << error_of(j);

  j = edition_2564();
  j["iit"]["items"][0]["indicator"] = 7;
  EXPECT_NE(error_of(j).find("iit.items[0].indicator: indicator 7 belongs to EIT, not IIT"),
            std::string::npos)
      << error_of(j);

  j = edition_2564();
  j["eit"]["items"][1]["code"] = "I1";
  EXPECT_NE(error_of(j).find("code 'I1' is used twice"), std::string::npos) << error_of(j);

  j = edition_2564();
  j["grading"]["rules"].erase(j["grading"]["rules"].size() - 1);
  EXPECT_NE(error_of(j).find("the last rule must have min_total 0"), std::string::npos)
      << error_of(j);

  j = edition_2564();
  j["oit"]["items"][5]["sub_indicator"] = "9.9";
  EXPECT_NE(error_of(j).find("/oit/items/5/sub_indicator: unknown sub-indicator \"9.9\""),
            std::string::npos)
      << error_of(j);

  j = edition_2564();
  j["scales"]["likert4"]["options"][1]["points"] = "100/0";
  EXPECT_NE(error_of(j).find("/scales/likert4/options/1/points"), std::string::npos) << error_of(j);

  j = edition_2564();
  j["iit"].erase("provenance");
  EXPECT_NE(error_of(j).find("/iit/provenance: missing required field"), std::string::npos)
      << error_of(j);

  j = edition_2564();
  j["grading"]["provenance"]["status"] = "rumour";
  EXPECT_NE(error_of(j).find("expected official, reconstructed or partial"), std::string::npos)
      << error_of(j);

  j = edition_2564();
  j["format"] = "ita-edition/9";
  EXPECT_NE(error_of(j).find("/format"), std::string::npos);
}

TEST(EditionFiles, OitCriteriaRoundTripAndUnknownItemFieldsAreRefused) {
  json j = edition_2564();
  j["oit"]["items"][1]["criteria_th"] = "ชื่อ-นามสกุล ตำแหน่ง รูปถ่าย และช่องทางการติดต่อของผู้บริหาร";
  j["oit"]["items"][2].erase("criteria_th");
  const Edition e = parse_edition(j.dump(), "criteria.json");
  EXPECT_EQ(e.oit.items[1].criteria_th, "ชื่อ-นามสกุล ตำแหน่ง รูปถ่าย และช่องทางการติดต่อของผู้บริหาร");
  EXPECT_EQ(e.oit.items[2].criteria_th, "") << "optional: empty when no source says";
  const std::string written = edition_to_json(e);
  const Edition again = parse_edition(written, "written.json");
  EXPECT_EQ(again.oit.items[1].criteria_th, e.oit.items[1].criteria_th);
  EXPECT_EQ(again.oit.items[2].criteria_th, "");
  EXPECT_EQ(json::parse(written)["oit"]["items"][2].contains("criteria_th"), false)
      << "an empty criteria is left out";

  j = edition_2564();
  j["oit"]["items"][3]["criteria"] = "a misspelt field";
  EXPECT_NE(error_of(j).find("/oit/items/3/criteria: unknown field \"criteria\"; expected one of: "
                             "code, sub_indicator, indicator, name_th, criteria_th, keywords_th, "
                             "provisional"),
            std::string::npos)
      << error_of(j);
  j = edition_2564();
  j["oit"]["items"][3]["criteria_th"] = 5;
  EXPECT_NE(error_of(j).find("/oit/items/3/criteria_th: expected a string"), std::string::npos)
      << error_of(j);
  j = edition_2564();
  j["oit"]["items"][3]["criteria_th"] = std::string("เกณฑ์") + '\x01';
  EXPECT_NE(error_of(j).find("oit.items[3].criteria_th"), std::string::npos) << error_of(j);
}

TEST(EditionFiles, EveryOitItemFrom2566To2570HasKeywordsThatRoundTrip) {
  for (const char* id : {"2566", "2567", "2568", "2569", "2570"}) {
    const Edition& e = EditionSet::builtin().get(id);
    ASSERT_FALSE(e.oit.items.empty()) << id;
    const json written = json::parse(edition_to_json(e));
    const Edition again = parse_edition(written.dump(), "written.json");
    ASSERT_EQ(again.oit.items.size(), e.oit.items.size()) << id;
    for (std::size_t i = 0; i < e.oit.items.size(); ++i) {
      const OitItem& item = e.oit.items[i];
      EXPECT_GE(item.keywords_th.size(), 1u) << id << " " << item.code;
      EXPECT_LE(item.keywords_th.size(), 3u) << id << " " << item.code;
      for (const std::string& w : item.keywords_th) EXPECT_FALSE(w.empty()) << id << item.code;
      EXPECT_EQ(written["oit"]["items"][i]["keywords_th"].get<std::vector<std::string>>(),
                item.keywords_th)
          << id << " " << item.code;
      EXPECT_EQ(again.oit.items[i].keywords_th, item.keywords_th) << id << " " << item.code;
    }
    EXPECT_NE(e.oit.provenance.notes.find("keywords_th"), std::string::npos)
        << id << ": the OIT notes say where the keywords come from";
  }
  // Optional: an edition without them (2564) has none, and writes none.
  const Edition& old = EditionSet::builtin().get("2564");
  for (const OitItem& item : old.oit.items) EXPECT_TRUE(item.keywords_th.empty()) << item.code;
  EXPECT_FALSE(json::parse(edition_to_json(old))["oit"]["items"][0].contains("keywords_th"));

  json j = edition_2564();
  j["oit"]["items"][0]["keywords_th"] = "โครงสร้าง";
  EXPECT_NE(error_of(j).find("/oit/items/0/keywords_th: expected an array"), std::string::npos)
      << error_of(j);
  j["oit"]["items"][0]["keywords_th"] = json::array({"โครงสร้าง", 7});
  EXPECT_NE(error_of(j).find("/oit/items/0/keywords_th/1: expected a string"), std::string::npos)
      << error_of(j);
  j["oit"]["items"][0]["keywords_th"] = json::array({"โครงสร้าง", "  "});
  EXPECT_NE(error_of(j).find("oit.items[0].keywords_th[1]: expected a non-empty keyword"),
            std::string::npos)
      << error_of(j);
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
