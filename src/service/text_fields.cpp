#include "service/text_fields.hpp"

#include <string>

#include "service/errors.hpp"

namespace ita::service {

void check_text(const TextField& field, std::string_view value) {
  if (const auto fault = text_fault(value, field.rule)) {
    throw Invalid(std::string(field.label_th) + ": " + fault->message_th());
  }
}

}  // namespace ita::service
