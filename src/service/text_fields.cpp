#include "service/text_fields.hpp"

#include <string>

#include "service/errors.hpp"

namespace ita::service {

void check_text(const TextField& field, std::string_view value) {
  if (const auto fault = text_fault(value, field.rule)) {
    throw Invalid(std::string(field.label_th) + ": " + fault->message_th());
  }
}

std::string trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

}  // namespace ita::service
