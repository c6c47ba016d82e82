#pragma once
// What a stored text field may hold (docs/api.md, "Text fields"). Every text a person types and
// the system stores — agency names, OIT notes, review comments, measures, progress reports — is
// checked against its field's rule before it is stored, so that no page, CSV, spreadsheet or
// document written from it later can be broken or made to lie by it.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ita {

struct TextRule {
  std::size_t max_chars = 0;  // Unicode code points
  bool multiline = false;     // newlines (LF, CR LF) allowed
};

// The limits of the stored fields.
inline constexpr TextRule kNameRule{200, false};       // agency name, district, type
inline constexpr TextRule kShortTextRule{500, false};  // titles, responsible units, labels
inline constexpr TextRule kLongTextRule{10000, true};  // notes, comments, reports, steps
inline constexpr TextRule kUrlRule{2000, false};

// Why `s` may not be stored under `rule`, in Thai for the person who typed it, or nothing when
// it may. Refused: text that is not UTF-8; control characters other than tab (and newlines in a
// multiline field); bidirectional embeddings, overrides and isolates that are not closed, or
// closings without an opening; text made only of combining marks (Thai vowel and tone marks
// without a consonant, U+0300–036F …); more than rule.max_chars code points. Empty text is
// allowed (whether a field is required is the caller's rule).
std::optional<std::string> text_problem(std::string_view s, const TextRule& rule);

}  // namespace ita
