#include "report/resources.hpp"

#include <stdexcept>

namespace ita::report {

const std::string& resource(std::string_view name) {
  const auto& files = embedded_resources();
  if (const auto it = files.find(std::string(name)); it != files.end()) return it->second;
  throw std::logic_error("report resource not embedded: " + std::string(name));
}

}  // namespace ita::report
