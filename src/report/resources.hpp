#pragma once
// Data and templates compiled into the binary (data/measures-library.json, templates/*).
#include <string>
#include <string_view>
#include <vector>

namespace ita::report {

struct Resource {
  std::string name;  // file name, e.g. "document-th.json"
  std::string content;
};

// Generated at build time by src/report/embed_resources.cmake.
const std::vector<Resource>& embedded_resources();

// The content of the embedded file `name`; std::logic_error if it was not embedded.
const std::string& resource(std::string_view name);

}  // namespace ita::report
