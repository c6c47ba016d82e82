#pragma once
// The rule every stored text field follows (core/text_rules.hpp), as the use cases apply it.
#include <string>
#include <string_view>

#include "core/text_rules.hpp"

namespace ita::service {

// Throws Invalid ("ชื่อหน่วยงาน: ข้อความมีอักขระควบคุม (U+0007) ซึ่งบันทึกไม่ได้": the field's Thai
// name, then what is wrong) when `value` breaks `field`'s rule. Pure.
void check_text(const TextField& field, std::string_view value);

// `s` without the spaces, tabs and line breaks at its ends, as form fields are stored. Pure.
std::string trimmed(std::string_view s);

}  // namespace ita::service
