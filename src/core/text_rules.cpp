#include "core/text_rules.hpp"

#include <vector>

#include "core/thai.hpp"

namespace ita {

namespace {

// The next code point of well-formed UTF-8 `s` at `i`, advancing `i`.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  char32_t c = n == 1 ? b : n == 2 ? b & 0x1F : n == 3 ? b & 0x0F : b & 0x07;
  for (int k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += n;
  return c;
}

bool is_combining_mark(char32_t c) {
  // Thai above/below vowels and tone marks, then the general combining blocks.
  return c == 0x0E31 || (c >= 0x0E34 && c <= 0x0E3A) || (c >= 0x0E47 && c <= 0x0E4E) ||
         (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
         (c >= 0xFE20 && c <= 0xFE2F);
}

std::string control_name(char32_t c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string u = "U+";
  for (int shift = 12; shift >= 0; shift -= 4) u += kHex[(c >> shift) & 0xF];
  return u;
}

}  // namespace

std::optional<std::string> text_problem(std::string_view s, const TextRule& rule) {
  if (first_invalid_utf8(s)) return "ข้อความไม่ใช่ UTF-8";
  std::size_t chars = 0;
  bool only_marks = true;
  std::vector<char32_t> open;  // open bidi embeddings/overrides (closed by PDF), isolates (PDI)
  for (std::size_t i = 0; i < s.size();) {
    const char32_t c = next_code_point(s, i);
    ++chars;
    const bool newline = c == '\n' || (c == '\r' && i < s.size() && s[i] == '\n');
    if ((c < 0x20 && c != '\t' && !(rule.multiline && newline)) || (c >= 0x7F && c < 0xA0)) {
      return "ข้อความมีอักขระควบคุม (" + control_name(c) + ") ซึ่งบันทึกไม่ได้";
    }
    if ((c >= 0x202A && c <= 0x202E && c != 0x202C) || (c >= 0x2066 && c <= 0x2068)) {
      open.push_back(c);
    }
    if (c == 0x202C || c == 0x2069) {
      const bool isolate = c == 0x2069;
      if (open.empty() || (open.back() >= 0x2066) != isolate) {
        return "ข้อความมีอักขระกำหนดทิศทาง (" + control_name(c) + ") ที่ไม่มีคู่เปิด";
      }
      open.pop_back();
    }
    only_marks = only_marks && (is_combining_mark(c) || c == 0x200B || c == 0x200C || c == 0x200D ||
                                (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069));
  }
  if (!open.empty()) {
    return "ข้อความมีอักขระกำหนดทิศทาง (" + control_name(open.back()) + ") ที่ไม่ได้ปิด";
  }
  if (chars > 0 && only_marks) return "ข้อความมีแต่สระหรือวรรณยุกต์โดยไม่มีพยัญชนะ";
  if (chars > rule.max_chars) {
    return "ข้อความยาวเกิน " + std::to_string(rule.max_chars) + " ตัวอักษร (มี " +
           std::to_string(chars) + ")";
  }
  return std::nullopt;
}

}  // namespace ita
