#include "core/text_rules.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/edition.hpp"
#include "io/edition_registry.hpp"

namespace ita {
namespace {

TEST(TextRules, OrdinaryThaiAndEnglishTextIsAccepted) {
  EXPECT_FALSE(text_problem("เทศบาลตำบลแม่สายมิตรภาพ", kNameRule));
  EXPECT_FALSE(text_problem("Mae Sai (อ.แม่สาย)\tเชียงราย", kNameRule));
  EXPECT_FALSE(text_problem("", kNameRule));
  EXPECT_FALSE(text_problem("บรรทัดแรก\nบรรทัดที่สอง\r\nสาม", kLongTextRule));
  EXPECT_FALSE(text_problem("\u202Bعربي\u202C และ \u2067עברית\u2069", kNameRule)) << "paired";
}

TEST(TextRules, ControlCharactersAreRefused) {
  EXPECT_EQ(*text_problem("รายงาน\x07", kLongTextRule), "ข้อความมีอักขระควบคุม (U+0007) ซึ่งบันทึกไม่ได้");
  EXPECT_TRUE(text_problem(std::string("a\0b", 3), kNameRule));
  EXPECT_TRUE(text_problem("สอง\nบรรทัด", kNameRule)) << "a one-line field";
  EXPECT_TRUE(text_problem("\xC2\x85", kLongTextRule)) << "C1 control U+0085";
  EXPECT_TRUE(text_problem("\xFF", kNameRule));
}

TEST(TextRules, UnpairedBidiControlsAreRefused) {
  EXPECT_EQ(*text_problem("\u202Eเทศบาล", kNameRule), "ข้อความมีอักขระกำหนดทิศทาง (U+202E) ที่ไม่ได้ปิด");
  EXPECT_TRUE(text_problem("เทศบาล\u202C", kNameRule));
  EXPECT_TRUE(text_problem("\u2066a\u202C", kNameRule)) << "an isolate closed by PDF";
  EXPECT_TRUE(text_problem("\u2069", kNameRule));
}

TEST(TextRules, TextOfOnlyCombiningMarksIsRefused) {
  EXPECT_EQ(*text_problem("\u0E48\u0E49\u0E34", kNameRule), "ข้อความมีแต่สระหรือวรรณยุกต์โดยไม่มีพยัญชนะ");
  EXPECT_TRUE(text_problem("\u0301\u0301", kNameRule));
  EXPECT_TRUE(text_problem("\u200B\u0E49", kNameRule));
  EXPECT_FALSE(text_problem("ก\u0E49", kNameRule));
}

TEST(TextRules, LengthIsCountedInCharacters) {
  std::string thai;
  for (int i = 0; i < 200; ++i) thai += "ก";  // 600 bytes, 200 characters
  EXPECT_FALSE(text_problem(thai, kNameRule));
  EXPECT_EQ(*text_problem(thai + "ข", kNameRule), "ข้อความยาวเกิน 200 ตัวอักษร (มี 201)");
}

TEST(TextRules, NoncharactersAreRefused) {
  EXPECT_EQ(*text_problem("ก\uFFFF", kNameRule), "ข้อความมีรหัสที่ไม่ใช่อักขระ (U+FFFF) ซึ่งบันทึกไม่ได้");
  EXPECT_TRUE(text_problem("\uFFFE", kLongTextRule));
  EXPECT_TRUE(text_problem("a\uFDD0", kLongTextRule));
  EXPECT_EQ(text_fault("a\U0010FFFF", kNameRule)->message_en(),
            "the text has the noncharacter U+10FFFF");
  EXPECT_FALSE(text_problem("\uFFFD \U0001F600", kNameRule)) << "U+FFFD and emoji are text";
}

TEST(TextRules, LoneSurrogatesAndOverlongFormsAreNotUtf8) {
  EXPECT_EQ(text_fault("\xED\xA0\x80", kLongTextRule)->kind, TextFault::Kind::NotUtf8);
  EXPECT_EQ(text_fault("\xC0\xAF", kLongTextRule)->kind, TextFault::Kind::NotUtf8);
}

TEST(TextRules, EveryBidiOpeningNeedsItsOwnKindOfClosing) {
  for (const char* open : {"\u202A", "\u202B", "\u202D", "\u202E"}) {
    EXPECT_FALSE(text_problem(std::string(open) + "x\u202C", kNameRule)) << open;
    EXPECT_TRUE(text_problem(std::string(open) + "x\u2069", kNameRule)) << open;
    EXPECT_EQ(text_fault(std::string(open) + "x", kNameRule)->kind, TextFault::Kind::UnclosedBidi);
  }
  for (const char* open : {"\u2066", "\u2067", "\u2068"}) {
    EXPECT_FALSE(text_problem(std::string(open) + "x\u2069", kNameRule)) << open;
    EXPECT_TRUE(text_problem(std::string(open) + "x\u202C", kNameRule)) << open;
  }
  EXPECT_FALSE(text_problem("\u2067\u202Ba\u202C\u2069", kNameRule)) << "nested";
  EXPECT_TRUE(text_problem("\u2067\u202Ba\u2069\u202C", kNameRule)) << "crossed";
}

TEST(TextRules, ALongTextIsRefusedByItsLengthFirst) {
  const std::string huge(900 * 1024, 'a');
  const auto fault = text_fault(huge + "\x07", kNameRule);
  ASSERT_TRUE(fault);
  EXPECT_EQ(fault->kind, TextFault::Kind::TooLong);
  EXPECT_EQ(fault->chars, huge.size() + 1);
  EXPECT_EQ(fault->limit, 200U);
  EXPECT_EQ(fault->message_en(), "the text is longer than 200 characters (921601)");
}

TEST(TextRules, MultilineFieldsTakeLfAndCrLfButNotALoneCr) {
  EXPECT_FALSE(text_problem("a\nb\r\nc", kLongTextRule));
  EXPECT_EQ(*text_problem("a\rb", kLongTextRule), "ข้อความมีอักขระควบคุม (U+000D) ซึ่งบันทึกไม่ได้");
  EXPECT_TRUE(text_problem("a\r\nb", kUrlRule));
}

TEST(TextRules, EveryStoredFieldHasALabelAndALimitAndIsListedOnce) {
  std::set<std::string_view> codes;
  for (const TextField& f : stored_text_fields()) {
    EXPECT_TRUE(codes.insert(f.code).second) << f.code;
    EXPECT_FALSE(f.label_th.empty()) << f.code;
    EXPECT_GT(f.rule.max_chars, 0U) << f.code;
  }
  EXPECT_TRUE(codes.contains(kAgencyName.code));
  EXPECT_TRUE(codes.contains(kProgressText.code));
  EXPECT_EQ(kAgencyName.rule.max_chars, 200U);
}

// An edition is stored text too (a draft an administrator uploads): check_edition names each
// text that breaks the rule, in English and Thai.
TEST(TextRules, AnEditionWithAControlCharacterOrAnUnclosedOverrideHasProblems) {
  Edition e = io::EditionSet::builtin().get("2564");
  ASSERT_TRUE(check_edition(e).empty());
  e.iit.items[0].text_th += "\x07";
  e.oit.items[2].name_th = "\u202E" + e.oit.items[2].name_th;
  e.grading.rules[0].label_th = "\u0E49";
  e.reindex();
  const auto problems = check_edition(e);
  ASSERT_EQ(problems.size(), 3U);
  EXPECT_EQ(problems[0].describe(),
            "iit.items[0].text_th: the text has the control character U+0007");
  EXPECT_EQ(problems[0].message_th, "ข้อความมีอักขระควบคุม (U+0007) ซึ่งบันทึกไม่ได้");
  EXPECT_EQ(problems[1].field, "oit.items[2].name_th");
  EXPECT_EQ(problems[2].field, "grading.rules[0].label_th");
}

// docs/api.md, "Text fields", lists every field of the table with its limit and whether it
// takes newlines: the documentation and the code cannot drift apart.
TEST(TextRules, TheDocumentedTableMatchesTheCode) {
  std::ifstream in(std::string(ITA_SOURCE_DIR) + "/docs/api.md");
  ASSERT_TRUE(in);
  std::stringstream doc;
  doc << in.rdbuf();
  std::map<std::string, std::string> rows;
  std::string line;
  while (std::getline(doc, line)) {
    if (line.starts_with("| `")) rows[line.substr(3, line.find('`', 3) - 3)] = line;
  }
  for (const TextField& f : stored_text_fields()) {
    const auto it = rows.find(std::string(f.code));
    ASSERT_NE(it, rows.end()) << f.code << " is not in docs/api.md";
    EXPECT_NE(it->second.find("| " + std::to_string(f.rule.max_chars) + " |"), std::string::npos)
        << it->second;
    EXPECT_NE(it->second.find(f.rule.multiline ? "| yes |" : "| no |"), std::string::npos)
        << it->second;
  }
}

}  // namespace
}  // namespace ita
