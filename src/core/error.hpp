#pragma once
// Errors raised by the domain. The core knows fields, not files: the io layer adds file and line.
#include <stdexcept>
#include <string>

namespace ita {

// Bad input to a domain function. `field` names where (e.g. "indicators.11", "I12.3").
class InputError : public std::runtime_error {
 public:
  InputError(std::string field, const std::string& message)
      : std::runtime_error(message), field_(std::move(field)) {}
  const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

}  // namespace ita
