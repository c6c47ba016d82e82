#pragma once
// Texts that no stored text field may hold (core/text_rules.hpp), for the service tests (rules
// without HTTP) and the web tests (the same rules through the API and the pages).
#include <string>
#include <vector>

namespace ita::testing {

// A text that breaks the rules, with what the refusal says after the field's name.
struct Hostile {
  const char* name;
  std::string text;
  std::string problem;
  bool alone = false;  // refused only as the whole text, not inside a longer one
};

inline std::vector<Hostile> hostile_texts() {
  return {
      {"a bell (U+0007)", "รายงาน\x07", "ข้อความมีอักขระควบคุม (U+0007) ซึ่งบันทึกไม่ได้"},
      {"a NUL", std::string("ab\0cd", 5), "ข้อความมีอักขระควบคุม (U+0000) ซึ่งบันทึกไม่ได้"},
      {"an escape", "\x1b[31mแดง", "ข้อความมีอักขระควบคุม (U+001B) ซึ่งบันทึกไม่ได้"},
      {"U+FFFF", "ก\uFFFF", "ข้อความมีรหัสที่ไม่ใช่อักขระ (U+FFFF) ซึ่งบันทึกไม่ได้"},
      {"U+FFFE", "\uFFFEก", "ข้อความมีรหัสที่ไม่ใช่อักขระ (U+FFFE) ซึ่งบันทึกไม่ได้"},
      {"a lone RLO", "\u202Eเทศบาล", "ข้อความมีอักขระกำหนดทิศทาง (U+202E) ที่ไม่ได้ปิด"},
      {"only an RLO", "\u202E", "ข้อความมีอักขระกำหนดทิศทาง (U+202E) ที่ไม่ได้ปิด"},
      {"a lone PDI", "เทศบาล\u2069", "ข้อความมีอักขระกำหนดทิศทาง (U+2069) ที่ไม่มีคู่เปิด"},
      {"only combining marks", "\u0E48\u0E49\u0E4A", "ข้อความมีแต่สระหรือวรรณยุกต์โดยไม่มีพยัญชนะ", true},
  };
}

}  // namespace ita::testing
