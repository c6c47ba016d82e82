#include "core/text_rules.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace ita
