#include "core/edition_diff.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/test_editions.hpp"

namespace ita {
namespace {

using testing::edition;

Edition copy_of(const char* id) {
  return edition(id);
}

std::vector<EditionChange> diff(const Edition& a, Edition b) {
  b.reindex();
  return diff_editions(a, b);
}

Item& question(Edition& e, ToolId tool, const std::string& code) {
  auto& items = tool == ToolId::IIT ? e.iit.items : e.eit.items;
  return *std::find_if(items.begin(), items.end(), [&](const Item& q) { return q.code == code; });
}

OitItem& oit_item(Edition& e, const std::string& code) {
  return *std::find_if(e.oit.items.begin(), e.oit.items.end(),
                       [&](const OitItem& o) { return o.code == code; });
}

// "kind subject old→new" for compact assertions.
std::string brief(const EditionChange& c) {
  return std::string(change_kind_code(c.kind)) + " " + std::string(change_subject_code(c.subject)) +
         " " + c.old_code + "→" + c.new_code;
}

std::vector<std::string> briefs(const std::vector<EditionChange>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(brief(c));
  return out;
}

TEST(EditionDiff, TextSimilarityIsTheBigramDiceWithoutSpaces) {
  EXPECT_DOUBLE_EQ(text_similarity("abcd", "abce"), 2.0 * 2 / 6);
  EXPECT_DOUBLE_EQ(text_similarity("การ ประเมิน", "การประเมิน"), 1.0);
  EXPECT_DOUBLE_EQ(text_similarity("ข้อมูล\u00a0การติดต่อ", "ข้อมูลการ\u200bติดต่อ"), 1.0);
  EXPECT_DOUBLE_EQ(text_similarity("", ""), 1.0);
  EXPECT_DOUBLE_EQ(text_similarity("ก", "ข"), 0.0);
  // Thai combining vowels and tone marks are letters of their own: 2·8 / (8 + 16).
  EXPECT_NEAR(text_similarity("โครงสร้าง", "โครงสร้างหน่วยงาน"), 2.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(text_similarity("แผนดำเนินงานประจำปี", "แผนการดำเนินงานประจำปี"),
                   text_similarity("แผนการดำเนินงานประจำปี", "แผนดำเนินงานประจำปี"));
  EXPECT_NEAR(text_similarity("แผนดำเนินงานประจำปี", "แผนการดำเนินงานประจำปี"), 34.0 / 39, 1e-12);
}

TEST(EditionDiff, SameEditionHasNoChanges) {
  EXPECT_TRUE(diff_editions(edition("2564"), edition("2564")).empty());
  Edition b = copy_of("2564");
  question(b, ToolId::IIT, "I3").text_th += "   ";  // white space only
  EXPECT_TRUE(diff(edition("2564"), b).empty());
}

TEST(EditionDiff, RewordedQuestionSubItemAndOitItem) {
  const Edition& a = edition("2564");
  Edition b = copy_of("2564");
  question(b, ToolId::IIT, "I2").text_th += " อย่างไร";
  question(b, ToolId::IIT, "I1").sub_items[1].text_th = "เป็นไปตามระยะเวลาที่หน่วยงานกำหนด";
  oit_item(b, "O1").name_th = "ผังโครงสร้างองค์กร";
  const auto changes = diff(a, b);
  ASSERT_EQ(briefs(changes),
            (std::vector<std::string>{"reworded sub_item I1.2→I1.2", "reworded question I2→I2",
                                      "reworded oit_item O1→O1"}));
  EXPECT_TRUE(changes[0].tool == ToolId::IIT);
  EXPECT_EQ(changes[0].old_text, "เป็นไปตามระยะเวลาที่กำหนด");
  EXPECT_EQ(changes[0].new_text, "เป็นไปตามระยะเวลาที่หน่วยงานกำหนด");
  EXPECT_NEAR(changes[0].similarity, 23.0 / 28, 1e-12);
  EXPECT_GT(changes[1].similarity, 0.9);
  EXPECT_LT(changes[1].similarity, 1.0);
  EXPECT_LT(changes[2].similarity, 0.8);  // same code: reworded however different
  EXPECT_TRUE(changes[2].tool == ToolId::OIT);
}

TEST(EditionDiff, OitCriteriaGivenOrChangedIsReportedWithBothTexts) {
  Edition a = copy_of("2564");
  oit_item(a, "O2").criteria_th = "";
  oit_item(a, "O5").criteria_th = "ที่อยู่ โทรศัพท์";
  oit_item(a, "O7").criteria_th = "ข่าวของปีงบประมาณ";
  a.reindex();
  Edition b = a;
  oit_item(b, "O2").criteria_th = "ชื่อ ตำแหน่ง รูปถ่าย";
  oit_item(b, "O5").criteria_th = "ที่อยู่ โทรศัพท์ แผนที่ตั้ง";
  const auto changes = diff(a, b);
  ASSERT_EQ(briefs(changes), (std::vector<std::string>{"criteria_changed oit_item O2→O2",
                                                       "criteria_changed oit_item O5→O5"}));
  EXPECT_EQ(changes[0].old_value, "");
  EXPECT_EQ(changes[0].new_value, "ชื่อ ตำแหน่ง รูปถ่าย");
  EXPECT_EQ(changes[0].new_text, "ข้อมูลผู้บริหาร") << "the item's name stays the text";
  EXPECT_EQ(changes[1].old_value, "ที่อยู่ โทรศัพท์");
  EXPECT_EQ(changes[1].new_value, "ที่อยู่ โทรศัพท์ แผนที่ตั้ง");
  // Renumbered with its criteria unchanged: only the renumbering.
  Edition c = a;
  oit_item(c, "O7").code = "O70";
  EXPECT_EQ(briefs(diff(a, c)), (std::vector<std::string>{"renumbered oit_item O7→O70"}));
}

TEST(EditionDiff, AddedRemovedAndRenumbered) {
  const Edition& a = edition("2564");
  Edition b = copy_of("2564");
  // EIT E3 dropped; a new IIT question at the end.
  b.eit.items.erase(b.eit.items.begin() + 2);
  Item added;
  added.code = "I31";
  added.tool = ToolId::IIT;
  added.indicator = 5;
  added.text_th = "หน่วยงานของท่านเปิดโอกาสให้บุคลากรแสดงความคิดเห็นต่อการบริหารงานบุคคล";
  added.sub_items.push_back({"I31", added.text_th, "likert4", false});
  b.iit.items.push_back(added);
  // O12 renumbered O44 as is; O10 renumbered O45 and lightly reworded; O11 replaced by an
  // unrelated O46.
  oit_item(b, "O12").code = "O44";
  oit_item(b, "O10").code = "O45";
  oit_item(b, "O45").name_th = "แผนการดำเนินงานประจำปี";
  oit_item(b, "O11").code = "O46";
  oit_item(b, "O46").name_th = "ช่องทางรับเรื่องร้องเรียนออนไลน์";
  const auto changes = diff(a, b);
  ASSERT_EQ(briefs(changes), (std::vector<std::string>{
                                 "added question →I31",
                                 "removed question E3→",
                                 "renumbered oit_item O10→O45",
                                 "removed oit_item O11→",
                                 "added oit_item →O46",
                                 "renumbered oit_item O12→O44",
                             }));
  EXPECT_TRUE(changes[0].tool == ToolId::IIT);
  EXPECT_EQ(changes[0].new_text, added.text_th);
  EXPECT_EQ(changes[0].similarity, 0);
  EXPECT_TRUE(changes[1].tool == ToolId::EIT);
  EXPECT_FALSE(changes[1].old_text.empty());
  EXPECT_NEAR(changes[2].similarity, 34.0 / 39, 1e-12);
  EXPECT_EQ(changes[2].old_text, "แผนดำเนินงานประจำปี");
  EXPECT_EQ(changes[5].similarity, 1.0);

  // A stricter threshold leaves O10 → O45 as a removal and an addition.
  Edition strict = b;
  strict.reindex();
  DiffOptions o;
  o.renumber_similarity = 0.9;
  const auto s = briefs(diff_editions(a, strict, o));
  EXPECT_NE(std::find(s.begin(), s.end(), "removed oit_item O10→"), s.end());
  EXPECT_NE(std::find(s.begin(), s.end(), "added oit_item →O45"), s.end());
}

TEST(EditionDiff, QuestionRenumberingCarriesItsSubItems) {
  const Edition& a = edition("2564");
  Edition b = copy_of("2564");
  // I5 (sub-items เงิน, ทรัพย์สิน, … as in I4 and I6) becomes I50: one change, not four.
  Item& i5 = question(b, ToolId::IIT, "I5");
  i5.code = "I50";
  for (auto& s : i5.sub_items) s.code = "I50" + s.code.substr(2);
  EXPECT_EQ(briefs(diff(a, b)), (std::vector<std::string>{"renumbered question I5→I50"}));

  // A sub-item renumbered within its question, and one moved to another question.
  Item& i3 = question(b, ToolId::IIT, "I3");
  i3.sub_items[2].code = "I3.9";
  SubItem moved = i3.sub_items[1];
  i3.sub_items.erase(i3.sub_items.begin() + 1);
  moved.code = "I1.3";
  question(b, ToolId::IIT, "I1").sub_items.push_back(moved);
  const auto changes = diff(a, b);
  ASSERT_EQ(briefs(changes), (std::vector<std::string>{
                                 "renumbered sub_item I3.2→I1.3",
                                 "moved sub_item I3.2→I1.3",
                                 "renumbered sub_item I3.3→I3.9",
                                 "renumbered question I5→I50",
                             }));
  EXPECT_EQ(changes[1].old_value, "I3");
  EXPECT_EQ(changes[1].new_value, "I1");
  EXPECT_EQ(changes[2].similarity, 1.0);
}

TEST(EditionDiff, MovedScaleAndPolarity) {
  const Edition& a = edition("2564");
  Edition b = copy_of("2564");
  Item& i2 = question(b, ToolId::IIT, "I2");  // answered as one unit
  i2.indicator = 2;
  i2.sub_items[0].scale = "yes_no";
  question(b, ToolId::IIT, "I4").sub_items[0].reverse = false;
  oit_item(b, "O1").sub_indicator = "9.2";
  const auto changes = diff(a, b);
  ASSERT_EQ(briefs(changes), (std::vector<std::string>{
                                 "moved question I2→I2",
                                 "scale_changed question I2→I2",
                                 "polarity_changed sub_item I4.1→I4.1",
                                 "moved oit_item O1→O1",
                             }));
  EXPECT_EQ(changes[0].old_value, "1");
  EXPECT_EQ(changes[0].new_value, "2");
  EXPECT_EQ(changes[1].old_value, "likert4 [1:0, 2:33.3333, 3:66.6667, 4:100]");
  EXPECT_EQ(changes[1].new_value, "yes_no [Y:100, N:0]");
  EXPECT_EQ(changes[2].old_value, "reverse");
  EXPECT_EQ(changes[2].new_value, "normal");
  EXPECT_EQ(changes[3].old_value, "9.1");
  EXPECT_EQ(changes[3].new_value, "9.2");

  // A scale whose points change is a change of every unit that uses it, under the same id.
  Edition c = copy_of("2564");
  c.scales.at("yes_no").options[1].points = 10;
  const auto scaled = diff(a, c);
  ASSERT_FALSE(scaled.empty());
  for (const auto& ch : scaled) {
    EXPECT_EQ(ch.kind, ChangeKind::ScaleChanged) << brief(ch);
    EXPECT_EQ(ch.new_value, "yes_no [Y:100, N:10]");
  }
}

TEST(EditionDiff, OitMovesWithoutSubIndicatorsAndReusedCodes) {
  const Edition& a = edition("2564");
  Edition b = copy_of("2564");
  b.oit.sub_indicators.clear();
  for (auto& o : b.oit.items) o.sub_indicator.clear();  // indicator only, as in 2568
  oit_item(b, "O1").indicator = 10;
  oit_item(b, "O2").name_th = "ช่องทางรับเรื่องร้องเรียนออนไลน์";  // code reused
  auto changes = diff(a, b);
  ASSERT_EQ(briefs(changes),
            (std::vector<std::string>{"moved oit_item O1→O1", "reworded oit_item O2→O2"}));
  EXPECT_EQ(changes[0].old_value, "9");
  EXPECT_EQ(changes[0].new_value, "10");
  EXPECT_LT(changes[1].similarity, 0.3);

  DiffOptions o;
  o.reword_similarity = 0.5;
  b.reindex();
  EXPECT_EQ(briefs(diff_editions(a, b, o)),
            (std::vector<std::string>{"moved oit_item O1→O1", "removed oit_item O2→",
                                      "added oit_item →O2"}));
}

TEST(EditionDiff, WeightsGradingAndAggregation) {
  Edition a = copy_of("2564");
  a.oit.aggregation = OitAggregation::ItemMean;
  a.reindex();
  Edition b = copy_of("2564");
  b.tools[0].weight = 0.25;  // IIT
  b.tools[2].weight = 0.45;  // OIT
  b.oit.aggregation = OitAggregation::SubIndicatorMean;
  b.grading.rules[0].min_total = 96;                   // AA
  b.grading.rules.erase(b.grading.rules.begin() + 5);  // E
  b.grading.rules.push_back({"G", "G", "", 0, std::nullopt});
  const auto changes = diff(a, b);
  ASSERT_EQ(briefs(changes), (std::vector<std::string>{
                                 "weight_changed tool IIT→IIT",
                                 "weight_changed tool OIT→OIT",
                                 "rule_changed oit_aggregation →",
                                 "rule_changed grade_rule AA→AA",
                                 "removed grade_rule E→",
                                 "added grade_rule →G",
                             }));
  EXPECT_EQ(changes[0].old_value, "0.3");
  EXPECT_EQ(changes[0].new_value, "0.25");
  EXPECT_EQ(changes[2].old_value, "item_mean");
  EXPECT_EQ(changes[2].new_value, "sub_indicator_mean");
  EXPECT_EQ(changes[3].old_value, "min_total 95");
  EXPECT_EQ(changes[3].new_value, "min_total 96");
  EXPECT_FALSE(changes[3].tool);
  EXPECT_EQ(changes[4].old_value, "min_total 50");
}

TEST(EditionDiff, BuiltInEditions2564To2566) {
  const auto changes = diff_editions(edition("2564"), edition("2566"));
  ASSERT_FALSE(changes.empty());
  bool system = false;
  for (const auto& c : changes) {
    if (c.subject == ChangeSubject::GradingSystem) {
      system = true;
      EXPECT_EQ(c.old_value, "letter");
      EXPECT_EQ(c.new_value, "five_level");
    }
    if (c.subject != ChangeSubject::GradingSystem && c.subject != ChangeSubject::OitAggregation) {
      EXPECT_EQ(c.old_code.empty(), c.kind == ChangeKind::Added) << brief(c);
      EXPECT_EQ(c.new_code.empty(), c.kind == ChangeKind::Removed) << brief(c);
    }
    if (c.kind == ChangeKind::Renumbered) {
      EXPECT_GE(c.similarity, 0.8) << brief(c);
      EXPECT_NE(c.old_code, c.new_code);
    }
  }
  EXPECT_TRUE(system);
}

}  // namespace
}  // namespace ita
