#include "report/resources.hpp"

#include <stdexcept>

namespace ita::report {

const std::string& resource(std::string_view name) {
  for (const auto& r : embedded_resources()) {
    if (r.name == name) return r.content;
  }
  throw std::logic_error("report resource not embedded: " + std::string(name));
}

}  // namespace ita::report
