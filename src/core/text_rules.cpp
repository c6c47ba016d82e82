#include "core/text_rules.hpp"

#include <vector>

#include "core/thai.hpp"

namespace ita {

namespace {

constexpr TextField kFields[] = {
    kAgencyName,        kAgencyDistrict, kAgencyProvince,
    kAgencyType,        kUserEmail,      kOitUrl,
    kOitNote,           kOitComment,     kOitExplanation,
    kMethodText,        kMethodItem,     kMeasureId,
    kMeasureTitle,      kMeasureStep,    kMeasureResponsible,
    kMeasureMonitoring, kSignatureName,  kSignaturePosition,
    kProgressText,      kProgressUrl,    kEditionText,
};

// The next code point of well-formed UTF-8 `s` at `i`, advancing `i`.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  char32_t c = n == 1 ? b : n == 2 ? b & 0x1F : n == 3 ? b & 0x0F : b & 0x07;
  for (int k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += n;
  return c;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (const char ch : s) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return n;
}

bool is_combining_mark(char32_t c) {
  // Thai above/below vowels and tone marks, then the general combining blocks.
  return c == 0x0E31 || (c >= 0x0E34 && c <= 0x0E3A) || (c >= 0x0E47 && c <= 0x0E4E) ||
         (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
         (c >= 0xFE20 && c <= 0xFE2F);
}

bool is_noncharacter(char32_t c) {
  return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

bool opens_bidi(char32_t c) {
  return (c >= 0x202A && c <= 0x202E && c != 0x202C) || (c >= 0x2066 && c <= 0x2068);
}

bool invisible_or_mark(char32_t c) {
  return is_combining_mark(c) || c == 0x200B || c == 0x200C || c == 0x200D ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

std::string u_plus(char32_t c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string u = "U+";
  for (int shift = c > 0xFFFFF ? 20 : c > 0xFFFF ? 16 : 12; shift >= 0; shift -= 4)
    u += kHex[(c >> shift) & 0xF];
  return u;
}

}  // namespace

std::span<const TextField> stored_text_fields() {
  return kFields;
}

std::string TextFault::message_th() const {
  switch (kind) {
    case Kind::NotUtf8:
      return "ข้อความไม่ใช่ UTF-8";
    case Kind::Control:
      return "ข้อความมีอักขระควบคุม (" + u_plus(code_point) + ") ซึ่งบันทึกไม่ได้";
    case Kind::Noncharacter:
      return "ข้อความมีรหัสที่ไม่ใช่อักขระ (" + u_plus(code_point) + ") ซึ่งบันทึกไม่ได้";
    case Kind::UnopenedBidi:
      return "ข้อความมีอักขระกำหนดทิศทาง (" + u_plus(code_point) + ") ที่ไม่มีคู่เปิด";
    case Kind::UnclosedBidi:
      return "ข้อความมีอักขระกำหนดทิศทาง (" + u_plus(code_point) + ") ที่ไม่ได้ปิด";
    case Kind::OnlyMarks:
      return "ข้อความมีแต่สระหรือวรรณยุกต์โดยไม่มีพยัญชนะ";
    case Kind::TooLong:
      return "ข้อความยาวเกิน " + std::to_string(limit) + " ตัวอักษร (มี " + std::to_string(chars) + ")";
  }
  return "";
}

std::string TextFault::message_en() const {
  switch (kind) {
    case Kind::NotUtf8:
      return "the text is not UTF-8";
    case Kind::Control:
      return "the text has the control character " + u_plus(code_point);
    case Kind::Noncharacter:
      return "the text has the noncharacter " + u_plus(code_point);
    case Kind::UnopenedBidi:
      return "the text closes a direction override it never opened (" + u_plus(code_point) + ")";
    case Kind::UnclosedBidi:
      return "the text opens a direction override it never closes (" + u_plus(code_point) + ")";
    case Kind::OnlyMarks:
      return "the text is only combining marks, without a letter";
    case Kind::TooLong:
      return "the text is longer than " + std::to_string(limit) + " characters (" +
             std::to_string(chars) + ")";
  }
  return "";
}

std::optional<TextFault> text_fault(std::string_view s, const TextRule& rule) {
  using Kind = TextFault::Kind;
  if (first_invalid_utf8(s)) return TextFault{Kind::NotUtf8};
  // The length first: a long text is refused before its characters are looked at one by one.
  if (const std::size_t n = code_points(s); n > rule.max_chars) {
    return TextFault{Kind::TooLong, 0, n, rule.max_chars};
  }
  bool only_marks = true;
  std::vector<char32_t> open;  // open bidi embeddings/overrides (closed by PDF), isolates (PDI)
  for (std::size_t i = 0; i < s.size();) {
    const char32_t c = next_code_point(s, i);
    const bool newline = c == '\n' || (c == '\r' && i < s.size() && s[i] == '\n');
    if ((c < 0x20 && c != '\t' && !(rule.multiline && newline)) || (c >= 0x7F && c < 0xA0)) {
      return TextFault{Kind::Control, c};
    }
    if (is_noncharacter(c)) return TextFault{Kind::Noncharacter, c};
    if (opens_bidi(c)) open.push_back(c);
    if (c == 0x202C || c == 0x2069) {
      const bool isolate = c == 0x2069;
      if (open.empty() || (open.back() >= 0x2066) != isolate) {
        return TextFault{Kind::UnopenedBidi, c};
      }
      open.pop_back();
    }
    only_marks = only_marks && invisible_or_mark(c);
  }
  if (!open.empty()) return TextFault{Kind::UnclosedBidi, open.back()};
  if (!s.empty() && only_marks) return TextFault{Kind::OnlyMarks};
  return std::nullopt;
}

std::optional<std::string> text_problem(std::string_view s, const TextRule& rule) {
  const auto fault = text_fault(s, rule);
  if (!fault) return std::nullopt;
  return fault->message_th();
}

}  // namespace ita
